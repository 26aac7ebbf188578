// The libssh2 implementation of Connection. Private to src/ssh.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "fleetk8s/ssh/transport.h"
#include "channel.h"
#include "fleetk8s/ssh/remote_command.h"
#include "session_core.h"

namespace fleetk8s::ssh {

class JumpPool;

class SshConnection final : public Connection {
 public:
  // Connects (directly, or through the jump hosts in options.jump_hosts,
  // whose sessions come from `jumps`), exchanges keys, verifies the host
  // key and authenticates. connect_timeout covers the first three,
  // auth_timeout the last; a jump host's own timeouts cover its hop.
  static Task<Result<std::unique_ptr<SshConnection>>> open(boost::asio::any_io_executor ex, ConnectOptions options,
                                                           NoticeSink notices, std::shared_ptr<JumpPool> jumps);

  ~SshConnection() override;

  Task<Result<CommandResult>> exec(std::string command, ExecOptions options) override;
  Task<Result<void>> upload(std::string content, std::string path, int mode, BecomeOptions become) override;
  Task<Result<std::unique_ptr<Stream>>> open_stream(std::string command, BecomeOptions become) override;
  Task<void> close() override;
  const std::string& name() const override { return options_.name; }

  // The session, for tunnels when this connection serves as a jump host.
  const std::shared_ptr<SessionCore>& core() const { return core_; }

 private:
  SshConnection(boost::asio::any_io_executor ex, ConnectOptions options);

  Task<Result<void>> connect_socket(const Deadline& deadline);
  // The socket through a tunnel of the last jump host's session (opened
  // first under the jump host's own timeouts, or shared).
  Task<Result<void>> connect_through_jump(JumpPool& jumps);
  // Key exchange and host key verification.
  Task<Result<void>> handshake(const Deadline& deadline, const NoticeSink& notices);
  // Runs a wrapped command on a new channel; the core of exec().
  Task<Result<CommandResult>> run_channel(const WrappedCommand& command, std::size_t max_output,
                                          const Deadline& deadline);
  Task<Result<CommandResult>> run_to_end(Channel& channel, const WrappedCommand& command, const Deadline& deadline);
  // Starts `command` on `channel` and, when sudo may ask for the password,
  // answers it (see sudo_handshake.h). Afterwards stdin is the command's.
  Task<Result<void>> start_command(Channel& channel, const WrappedCommand& command, const Deadline& deadline);
  // Sends keepalives until the session dies or the timer is cancelled. A
  // static coroutine: it may first run after the connection is gone.
  static Task<void> keepalive_loop(std::shared_ptr<SessionCore> core,
                                   std::shared_ptr<boost::asio::steady_timer> timer,
                                   std::chrono::seconds interval);
  std::string where() const;

  // Constant after construction.
  ConnectOptions options_;
  // Shared so the keepalive coroutine can outlive a close() in flight.
  std::shared_ptr<SessionCore> core_;
  // Shared with keepalive_loop(); cancelled by close() so the loop ends.
  std::shared_ptr<boost::asio::steady_timer> keepalive_timer_;
  bool closed_ = false;
};

// SshConnection::open, retrying connections that sshd dropped before the
// banner (beyond its MaxStartups) a few times within the connect timeout.
Task<Result<std::unique_ptr<SshConnection>>> open_ssh_connection(boost::asio::any_io_executor ex,
                                                                 ConnectOptions options, NoticeSink notices,
                                                                 std::shared_ptr<JumpPool> jumps);

}  // namespace fleetk8s::ssh
