#include "ssh_connection.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "auth.h"
#include "fleetk8s/ssh/library.h"
#include "fleetk8s/ssh/remote_command.h"
#include "host_key.h"
#include "jump_pool.h"
#include "ssh_stream.h"
#include "sudo_handshake.h"
#include "tunnel.h"

namespace fleetk8s::ssh {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}


Deadline deadline_after(std::chrono::milliseconds d) {
  Deadline dl;
  if (d.count() > 0) dl.at = Clock::now() + d;
  return dl;
}

}  // namespace

SshConnection::SshConnection(asio::any_io_executor ex, ConnectOptions options)
    : options_(std::move(options)),
      core_(std::make_shared<SessionCore>(ex)) {}

SshConnection::~SshConnection() {
  closed_ = true;
  if (keepalive_timer_) keepalive_timer_->cancel();
  core_->kill(Error(ErrorKind::kCancelled, "connection closed"));
  core_->destroy();
}

std::string SshConnection::where() const {
  return options_.address + ":" + std::to_string(options_.port);
}

Task<Result<std::unique_ptr<SshConnection>>> SshConnection::open(asio::any_io_executor ex, ConnectOptions options,
                                                                 NoticeSink notices, std::shared_ptr<JumpPool> jumps) {
  std::unique_ptr<SshConnection> c(new SshConnection(ex, std::move(options)));
  if (!c->options_.jump_hosts.empty()) {
    // The jump host's hop runs under its own timeouts, before ours start.
    if (auto r = co_await c->connect_through_jump(*jumps); !r) co_return r.error();
  }
  const Deadline dl = deadline_after(c->options_.connect_timeout);
  auto timer = c->core_->arm(dl);
  if (c->options_.jump_hosts.empty()) {
    if (auto r = co_await c->connect_socket(dl); !r) co_return r.error();
  }
  if (auto r = co_await c->handshake(dl, notices); !r) co_return r.error();
  timer.reset();
  const Deadline auth_dl = deadline_after(c->options_.auth_timeout);
  auto auth_timer = c->core_->arm(auth_dl);
  auto auth = co_await authenticate(*c->core_, c->options_, auth_dl);
  if (!auth) {
    if (auth.error().kind() == ErrorKind::kTimeout) {
      co_return Error(ErrorKind::kTimeout, "authentication on " + c->where() + " timed out after " +
                                               seconds_text(c->options_.auth_timeout));
    }
    co_return auth.error();
  }
  if (c->options_.keepalive_interval.count() > 0) {
    libssh2_keepalive_config(c->core_->raw(), 1, static_cast<unsigned>(c->options_.keepalive_interval.count()));
    c->keepalive_timer_ = std::make_shared<asio::steady_timer>(ex);
    asio::co_spawn(ex, keepalive_loop(c->core_, c->keepalive_timer_, c->options_.keepalive_interval),
                   asio::detached);
  }
  co_return std::move(c);
}

Task<Result<void>> SshConnection::connect_through_jump(JumpPool& jumps) {
  // The last jump host is reached through the ones before it.
  ConnectOptions hop = options_.jump_hosts.back();
  hop.jump_hosts.assign(options_.jump_hosts.begin(), options_.jump_hosts.end() - 1);
  const std::string via = "via bastion " + describe_jump(hop);
  auto session = co_await jumps.acquire(hop);
  if (!session) co_return session.error().context(via);
  const Deadline dl = deadline_after(options_.connect_timeout);
  auto socket = co_await open_tunnel((*session)->core(), *session, options_.address, options_.port, dl);
  if (!socket) co_return socket.error().context(via);
  core_->socket() = std::move(*socket);
  core_->set_tcp(false);
  co_return Result<void>{};
}

Task<Result<void>> SshConnection::connect_socket(const Deadline& dl) {
  tcp::resolver resolver(core_->executor());
  boost::system::error_code rec;
  auto endpoints = co_await resolver.async_resolve(options_.address, std::to_string(options_.port),
                                                   asio::redirect_error(asio::use_awaitable, rec));
  if (rec) {
    co_return Error(ErrorKind::kResolve, "cannot resolve host name '" + options_.address + "': " + rec.message());
  }
  // The session's socket is protocol-neutral (it may also be a tunnel's
  // socketpair): open it as TCP for each address until one connects. The
  // deadline timer wakes us by cancelling the socket's operations.
  boost::system::error_code cec = asio::error::host_not_found;
  auto& socket = core_->socket();
  for (const auto& entry : endpoints) {
    const tcp::endpoint ep = entry.endpoint();
    boost::system::error_code ignored;
    if (socket.is_open()) socket.close(ignored);
    socket.open(asio::generic::stream_protocol(ep.protocol().family(), IPPROTO_TCP), cec);
    if (cec) continue;
    co_await socket.async_connect(asio::generic::stream_protocol::endpoint(ep.data(), ep.size(), IPPROTO_TCP),
                                  asio::redirect_error(asio::use_awaitable, cec));
    if (!cec || dl.expired()) break;
  }
  core_->set_tcp(true);
  if (dl.expired()) {
    co_return Error(ErrorKind::kTimeout,
                    "connection to " + where() + " timed out after " + seconds_text(options_.connect_timeout));
  }
  if (cec == asio::error::connection_refused) {
    co_return Error(ErrorKind::kConnectRefused, "connection refused by " + where() + " (is sshd running?)");
  }
  if (cec) co_return Error(ErrorKind::kConnectRefused, "cannot connect to " + where() + ": " + cec.message());
  boost::system::error_code ignored;
  const int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  socket.set_option(asio::socket_base::keep_alive(true), ignored);
  co_return Result<void>{};
}

Task<Result<void>> SshConnection::handshake(const Deadline& dl, const NoticeSink& notices) {
  if (auto r = core_->create(); !r) co_return r;
  libssh2_session_method_pref(core_->raw(), LIBSSH2_METHOD_HOSTKEY, host_key_method_preference());
  const int fd = core_->socket().native_handle();
  auto rc = co_await core_->call([&] { return libssh2_session_handshake(core_->raw(), fd); }, dl);
  if (!rc) {
    if (rc.error().kind() == ErrorKind::kTimeout) {
      co_return Error(ErrorKind::kTimeout, "SSH handshake with " + where() + " timed out after " +
                                               seconds_text(options_.connect_timeout));
    }
    co_return rc.error().context(where());
  }
  if (*rc != 0) {
    std::string hint;
    if (*rc == LIBSSH2_ERROR_KEX_FAILURE) {
      hint = " (no common key exchange or host key algorithm";
      if (const SshLibrary lib = ssh_library(); !lib.rsa_sha2) {
        hint += "; a host with only an RSA host key cannot be reached with libssh2 " + lib.version +
                ": add an ed25519 host key, or build fleetk8s with libssh2 1.11 (-DFLEETK8S_LIBSSH2=bundled)";
      }
      hint += ")";
    }
    Error e = core_->error_from(*rc, "SSH handshake with " + where() + " failed" + hint);
    co_return Error(e.kind() == ErrorKind::kProtocol ? ErrorKind::kConnectionLost : e.kind(), e.message());
  }
  auto notice = [&](const std::string& m) {
    if (notices) notices(options_.name, m);
  };
  co_return verify_host_key(core_->raw(), options_, notice);
}

Task<void> SshConnection::keepalive_loop(std::shared_ptr<SessionCore> core,
                                         std::shared_ptr<asio::steady_timer> timer, std::chrono::seconds interval) {
  while (!core->dead()) {
    timer->expires_after(interval);
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec || core->dead()) break;
    int next = 0;
    auto rc = co_await core->call([&] { return libssh2_keepalive_send(core->raw(), &next); }, Deadline());
    if (!rc || *rc != 0) break;
  }
}

Task<Result<CommandResult>> SshConnection::exec(std::string command, ExecOptions options) {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "connection already closed");
  if (core_->dead()) co_return core_->dead_reason();
  const WrappedCommand w = wrap_command(command, options, options_.user);
  // The controller's limit is a backstop behind the remote `timeout`.
  Deadline dl;
  if (options.timeout.count() > 0) dl.at = Clock::now() + options.timeout + std::chrono::seconds(5);
  auto timer = core_->arm(dl);
  auto r = co_await run_channel(w, options.max_output, dl);
  if (!r) {
    if (r.error().kind() == ErrorKind::kTimeout) {
      co_return Error(ErrorKind::kCommandTimeout,
                      "command timed out after " + seconds_text(options.timeout));
    }
    co_return r;
  }
  if (std::string sudo = clean_sudo_output(*r, w); !sudo.empty()) co_return Error(ErrorKind::kBecome, sudo);
  if (w.has_time_limit && r->exit_signal.empty() &&
      (r->exit_status == kTimeoutExit || r->exit_status == 128 + 9)) {
    co_return Error(ErrorKind::kCommandTimeout,
                    "command timed out after " + seconds_text(options.timeout));
  }
  co_return r;
}

Task<Result<CommandResult>> SshConnection::run_channel(const WrappedCommand& command, std::size_t max_output,
                                                       const Deadline& dl) {
  Channel channel(core_, where(), max_output);
  auto r = co_await run_to_end(channel, command, dl);
  co_await channel.release();
  if (!r && core_->dead() && core_->dead_reason().kind() != ErrorKind::kCancelled &&
      r.error().kind() != ErrorKind::kTimeout) {
    co_return Error(ErrorKind::kConnectionLost, "connection to " + where() + " lost while the command ran (" +
                                                    core_->dead_reason().message() + ")");
  }
  co_return r;
}

Task<Result<void>> SshConnection::start_command(Channel& channel, const WrappedCommand& command, const Deadline& dl) {
  if (auto s = co_await channel.start(command.command_line, dl); !s) co_return s.error();
  if (!command.uses_sudo_password) co_return Result<void>{};
  // sudo answers within the authentication limit even when the command
  // itself may run for ever.
  const Deadline sudo_dl = dl.at ? dl : deadline_after(options_.auth_timeout);
  auto timer = core_->arm(sudo_dl);
  auto outcome = co_await sudo_handshake(channel, command.sudo_password, sudo_dl);
  if (!outcome) {
    if (outcome.error().kind() != ErrorKind::kTimeout || dl.at) co_return outcome.error();
    co_return Error(ErrorKind::kBecome, "sudo on " + where() + " neither asked for the password nor started the command within " +
                                            seconds_text(options_.auth_timeout));
  }
  if (*outcome == SudoOutcome::kStarted) co_return Result<void>{};
  auto ended = co_await channel.finish(dl);
  if (!ended) co_return ended.error();
  std::string why = clean_sudo_output(*ended, command);
  if (why.empty()) {
    why = ended->err;
    while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) why.pop_back();
    why = "sudo did not start the command: " + why;
  }
  co_return Error(ErrorKind::kBecome, why);
}

Task<Result<CommandResult>> SshConnection::run_to_end(Channel& channel, const WrappedCommand& command,
                                                      const Deadline& dl) {
  if (auto s = co_await start_command(channel, command, dl); !s) co_return s.error();
  channel.queue_input(command.stdin_data);
  channel.queue_eof();
  if (auto p = co_await channel.pump(dl, nullptr); !p) co_return p.error();
  co_return co_await channel.finish(dl);
}

Task<Result<void>> SshConnection::upload(std::string content, std::string path, int mode, BecomeOptions become) {
  // Streamed through the command's stdin: works under sudo, needs only a
  // POSIX shell, and the rename in the same directory is atomic.
  char mode_text[8];
  std::snprintf(mode_text, sizeof mode_text, "%04o", mode & 07777);
  const std::string q = shell_quote(path);
  const std::string script = "set -e; d=$(dirname " + q + "); t=$(mktemp \"$d/.fleetk8s.XXXXXX\"); " +
                             "trap 'rm -f \"$t\"' EXIT; cat > \"$t\"; chmod " + mode_text + " \"$t\"; " +
                             "mv -f \"$t\" " + q + "; trap - EXIT";
  ExecOptions opts;
  opts.become = std::move(become);
  opts.stdin_data = std::move(content);
  opts.max_output = 64 * 1024;
  auto r = co_await exec(script, std::move(opts));
  if (!r) co_return r.error().context("upload to " + path);
  if (!r->success()) {
    std::string err = r->err;
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    co_return Error(ErrorKind::kIo, "upload to " + path + " failed (" + r->describe_exit() + "): " + err);
  }
  co_return Result<void>{};
}

Task<Result<std::unique_ptr<Stream>>> SshConnection::open_stream(std::string command, BecomeOptions become) {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "connection already closed");
  if (core_->dead()) co_return core_->dead_reason();
  ExecOptions options;
  options.become = std::move(become);
  const WrappedCommand w = wrap_command(command, options, options_.user);
  auto channel = std::make_unique<Channel>(core_, where(), std::size_t{1} << 30);
  if (auto s = co_await start_command(*channel, w, Deadline()); !s) {
    co_await channel->release();
    co_return s.error();
  }
  co_return std::unique_ptr<Stream>(new SshStream(std::move(channel), where()));
}

Task<void> SshConnection::close() {
  if (closed_) co_return;
  closed_ = true;
  if (keepalive_timer_) keepalive_timer_->cancel();
  auto core = core_;
  if (!core->dead() && core->raw()) {
    (void)co_await core->call(
        [&] { return libssh2_session_disconnect_ex(core->raw(), SSH_DISCONNECT_BY_APPLICATION, "bye", ""); },
        Deadline(Clock::now() + std::chrono::seconds(2)));
  }
  core->kill(Error(ErrorKind::kCancelled, "connection closed"));
  core->destroy();
}

namespace {

class SshTransport final : public Transport {
 public:
  SshTransport(asio::any_io_executor ex, NoticeSink notices)
      : ex_(ex), notices_(notices), jumps_(std::make_shared<JumpPool>(ex, notices)) {}
  Task<Result<std::unique_ptr<Connection>>> connect(ConnectOptions options) override {
    auto c = co_await open_ssh_connection(ex_, std::move(options), notices_, jumps_);
    if (!c) co_return c.error();
    co_return std::unique_ptr<Connection>(std::move(*c));
  }

 private:
  asio::any_io_executor ex_;
  NoticeSink notices_;
  // Shared with the connections' tunnels, which may outlive the transport.
  std::shared_ptr<JumpPool> jumps_;
};

}  // namespace

Task<Result<std::unique_ptr<SshConnection>>> open_ssh_connection(asio::any_io_executor ex, ConnectOptions options,
                                                                 NoticeSink notices, std::shared_ptr<JumpPool> jumps) {
  // sshd drops connections beyond MaxStartups during the handshake (the
  // client sees a reset before the banner): retry those a few times.
  const auto give_up = Clock::now() + options.connect_timeout;
  std::chrono::milliseconds backoff{100};
  for (int attempt = 1;; ++attempt) {
    auto c = co_await SshConnection::open(ex, options, notices, jumps);
    if (c || c.error().kind() != ErrorKind::kConnectionLost || attempt == 4 || Clock::now() + backoff >= give_up) {
      co_return c;
    }
    asio::steady_timer pause(ex, backoff);
    boost::system::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    backoff *= 2;
  }
}

std::unique_ptr<Transport> make_ssh_transport(asio::any_io_executor executor, NoticeSink notices) {
  return std::make_unique<SshTransport>(std::move(executor), std::move(notices));
}

Result<void> global_init() {
  if (int rc = libssh2_init(0); rc != 0) {
    return Error(ErrorKind::kProtocol, "cannot initialise libssh2 (error " + std::to_string(rc) + ")");
  }
  return {};
}

}  // namespace fleetk8s::ssh
