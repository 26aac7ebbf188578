// The seam between the orchestrator and the network: a Transport opens
// Connections to hosts; a Connection runs commands and writes files.
// SshTransport (libssh2) is the real one; tests may hand the orchestrator a
// fake. All methods are coroutines on one Asio executor and must be called
// from it; none blocks the thread.
//
// Coroutine hygiene for GCC 12 (each rule cost us a double free here):
//  - no aggregate temporary in a co_await expression (`co_await f(x, {})`):
//    GCC destroys it twice. The option structs in options.h have
//    user-provided constructors so that `{}` of them is safe;
//  - no co_await inside a conditional expression (`c ? co_await a : b`);
//  - a coroutine that may first run after its object is gone (co_spawn'd
//    loops) takes what it needs by value, never `this`.
#pragma once

#include <utility>  // Boost 1.74's Asio needs std::exchange declared first.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/core/command_result.h"
#include "fleetk8s/ssh/options.h"

namespace fleetk8s::ssh {

template <class T>
using Task = boost::asio::awaitable<T>;

// A remote command that keeps running while the caller talks to it: write
// to its stdin, read its stdout as it arrives. One channel of a Connection.
class Stream {
 public:
  virtual ~Stream() = default;

  // Sends `data` to the command's stdin; returns once SSH has taken it.
  virtual Task<Result<void>> write(std::string data) = 0;

  // Reads until stdout contains `marker` (searching only new output), or
  // fails when the command ends first (kConnectionLost, with its stderr) or
  // `timeout` passes (kCommandTimeout). Returns the offset in out() just
  // past the marker.
  virtual Task<Result<std::size_t>> read_until(std::string marker, std::chrono::milliseconds timeout) = 0;

  // Output received so far. Callers consume it by erasing from the front.
  virtual std::string& out() = 0;
  virtual std::string& err() = 0;

  // Ends stdin, waits for the command to exit and frees the channel.
  virtual Task<Result<CommandResult>> close() = 0;
};

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

  // Starts `command` (under sudo when `become` says so; a sudo password is
  // sent first on stdin) and returns it as a Stream. The caller must close()
  // the stream before closing the connection.
  virtual Task<Result<std::unique_ptr<Stream>>> open_stream(std::string command, BecomeOptions become) = 0;

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

using fleetk8s::shell_quote;  // core/strings.h: 'it'\''s'

}  // namespace fleetk8s::ssh
