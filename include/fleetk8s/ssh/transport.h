// The seam between the orchestrator and the network: a Transport opens
// Connections to hosts; a Connection runs commands and writes files.
// SshTransport (libssh2) is the real one; tests may hand the orchestrator a
// fake. All methods are coroutines on one Asio executor and must be called
// from it; none blocks the thread.
#pragma once

#include <utility>  // Boost 1.74's Asio needs std::exchange declared first.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/command_result.h"
#include "fleetk8s/ssh/options.h"

namespace fleetk8s::ssh {

template <class T>
using Task = boost::asio::awaitable<T>;

// One authenticated session to one host. Several commands may run at once
// on it (each on its own channel). Thread-compatible: use from the
// executor's thread only.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs `command` through the remote user's shell. A command that ran and
  // exited non-zero is a successful Result (look at exit_status); errors are
  // for commands that could not run or finish (lost connection, timeout,
  // sudo refused).
  virtual Task<Result<CommandResult>> exec(std::string command, ExecOptions options) = 0;

  // Writes `content` to `path` with `mode` (e.g. 0644): into a temporary
  // file in the same directory, then renamed over `path`, so readers never
  // see a half-written file. Parent directories must exist.
  virtual Task<Result<void>> upload(std::string content, std::string path, int mode,
                                    BecomeOptions become) = 0;

  // Ends the session politely. Safe to call twice.
  virtual Task<void> close() = 0;

  // The name given in ConnectOptions::name.
  virtual const std::string& name() const = 0;
};

// Receives non-fatal notices from the engine (a host key was added, host
// key checking is off, ...), prefixed by nothing: the caller adds the host.
using NoticeSink = std::function<void(const std::string& host, const std::string& message)>;

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Task<Result<std::unique_ptr<Connection>>> connect(ConnectOptions options) = 0;
};

// The real transport: libssh2 over Asio TCP sockets on `executor`.
// REQUIRES: ssh::global_init() was called once in main.
std::unique_ptr<Transport> make_ssh_transport(boost::asio::any_io_executor executor,
                                              NoticeSink notices = {});

// Initialises libssh2 (not thread-safe: call once, early in main). Returns
// an error when the library cannot start.
Result<void> global_init();

// Quotes `s` for a POSIX shell: 'it'\''s'.
std::string shell_quote(const std::string& s);

}  // namespace fleetk8s::ssh
