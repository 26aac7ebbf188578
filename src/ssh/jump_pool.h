// JumpPool: the sessions to jump hosts (ProxyJump) of one transport. One
// session per distinct jump host (user, address, port and the jump hosts
// before it), opened once however many connections ask for it at the same
// time, shared by every connection behind it and closed when the last
// tunnel through it ends. A jump host is verified and authenticated as any
// host, with its own ConnectOptions. Private to src/ssh. Use from the
// executor's thread only.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "fleetk8s/ssh/transport.h"
#include "session_core.h"

namespace fleetk8s::ssh {

class SshConnection;

// An open session to a jump host. Holding the shared_ptr keeps it open;
// the last holder's release closes it (asynchronously, on the executor).
class JumpSession {
 public:
  explicit JumpSession(std::unique_ptr<SshConnection> connection);
  ~JumpSession();
  JumpSession(const JumpSession&) = delete;
  JumpSession& operator=(const JumpSession&) = delete;

  const std::shared_ptr<SessionCore>& core() const;

 private:
  std::unique_ptr<SshConnection> connection_;
};

class JumpPool : public std::enable_shared_from_this<JumpPool> {
 public:
  JumpPool(boost::asio::any_io_executor executor, NoticeSink notices);

  // The session to `hop` (its jump_hosts lead to it), opened now or shared.
  // Callers that arrive while it is being opened wait for that attempt and
  // share its outcome. A session that died is replaced by a new one.
  Task<Result<std::shared_ptr<JumpSession>>> acquire(ConnectOptions hop);

 private:
  // One attempt in progress; waiters sleep on `done` until it is cancelled.
  struct Opening {
    explicit Opening(boost::asio::any_io_executor ex) : done(ex, Clock::time_point::max()) {}
    boost::asio::steady_timer done;
    std::shared_ptr<JumpSession> session;
    std::optional<Error> error;
  };

  boost::asio::any_io_executor executor_;
  NoticeSink notices_;
  std::map<std::string, std::weak_ptr<JumpSession>> open_;
  std::map<std::string, std::shared_ptr<Opening>> opening_;
};

// "user@address:port", preceded by the jump hosts that lead to it: the
// identity of a jump session.
std::string jump_key(const ConnectOptions& hop);

// How messages name a jump host: "127.0.82.5:2482 (bastion)", or
// "127.0.82.5:2482" when the name is the address.
std::string describe_jump(const ConnectOptions& hop);

}  // namespace fleetk8s::ssh
