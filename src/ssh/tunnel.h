// Tunnel: ProxyJump's transport. A direct-tcpip channel of a jump host's
// session, bridged to one end of a local socketpair; the other end is the
// socket of the session to the host behind the jump host, so libssh2 runs
// that inner session as if over TCP. Two coroutines pump the bytes (socket
// to channel, channel to socket) under the jump session's SessionCore rules.
// Private to src/ssh. Use from the executor's thread only.
#pragma once

#include <memory>
#include <string>

#include "session_core.h"

namespace fleetk8s::ssh {

// Asks the jump host (`jump`, an authenticated session) to connect to
// `host`:`port` and returns the socket to run the inner session on. The
// tunnel lives until either side closes (the inner socket is closed, or
// the host or the jump session ends the channel); `keep` (the jump
// session's lease) is held until then, so the jump session outlives every
// tunnel through it. Errors: kConnectRefused when the jump host cannot
// reach the target, kTimeout at `deadline`, the jump session's own error
// when it died.
Task<Result<SessionCore::Socket>> open_tunnel(std::shared_ptr<SessionCore> jump, std::shared_ptr<void> keep,
                                              std::string host, int port, const Deadline& deadline);

}  // namespace fleetk8s::ssh
