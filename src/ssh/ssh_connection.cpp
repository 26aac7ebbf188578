#include "ssh_connection.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth.h"
#include "fleetk8s/ssh/remote_command.h"
#include "host_key.h"

namespace fleetk8s::ssh {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// OpenSSH's default MaxSessions is 10; stay below it.
constexpr int kMaxChannelsPerSession = 8;
constexpr std::size_t kReadChunk = 64 * 1024;

Deadline deadline_after(std::chrono::milliseconds d) {
  Deadline dl;
  if (d.count() > 0) dl.at = Clock::now() + d;
  return dl;
}

}  // namespace

SshConnection::SshConnection(asio::any_io_executor ex, ConnectOptions options)
    : options_(std::move(options)),
      core_(std::make_shared<SessionCore>(ex)),
      slot_signal_(ex, Clock::time_point::max()) {}

SshConnection::~SshConnection() {
  closed_ = true;
  if (keepalive_timer_) keepalive_timer_->cancel();
  core_->kill(Error(ErrorKind::kCancelled, "connection closed"));
  core_->destroy();
}

std::string SshConnection::where() const {
  return options_.address + ":" + std::to_string(options_.port);
}

Task<Result<std::unique_ptr<Connection>>> SshConnection::open(asio::any_io_executor ex, ConnectOptions options,
                                                              NoticeSink notices) {
  std::unique_ptr<SshConnection> c(new SshConnection(ex, std::move(options)));
  const Deadline dl = deadline_after(c->options_.connect_timeout);
  auto timer = c->core_->arm(dl);
  if (auto r = co_await c->connect_socket(dl); !r) co_return r.error();
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
  co_return std::unique_ptr<Connection>(std::move(c));
}

Task<Result<void>> SshConnection::connect_socket(const Deadline& dl) {
  tcp::resolver resolver(core_->executor());
  boost::system::error_code rec;
  auto endpoints = co_await resolver.async_resolve(options_.address, std::to_string(options_.port),
                                                   asio::redirect_error(asio::use_awaitable, rec));
  if (rec) {
    co_return Error(ErrorKind::kResolve, "cannot resolve host name '" + options_.address + "': " + rec.message());
  }
  // The deadline timer wakes us by cancelling the socket's operations.
  boost::system::error_code cec;
  co_await asio::async_connect(core_->socket(), endpoints, asio::redirect_error(asio::use_awaitable, cec));
  if (dl.expired()) {
    co_return Error(ErrorKind::kTimeout,
                    "connection to " + where() + " timed out after " + seconds_text(options_.connect_timeout));
  }
  if (cec == asio::error::connection_refused) {
    co_return Error(ErrorKind::kConnectRefused, "connection refused by " + where() + " (is sshd running?)");
  }
  if (cec) co_return Error(ErrorKind::kConnectRefused, "cannot connect to " + where() + ": " + cec.message());
  boost::system::error_code ignored;
  core_->socket().set_option(tcp::no_delay(true), ignored);
  core_->socket().set_option(asio::socket_base::keep_alive(true), ignored);
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
    std::string hint = *rc == LIBSSH2_ERROR_KEX_FAILURE
                           ? " (no common key exchange or host key algorithm; a host with only an RSA host "
                             "key cannot be reached with libssh2 1.10: add an ed25519 host key)"
                           : "";
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

Task<Result<void>> SshConnection::acquire_channel_slot(const Deadline& dl) {
  while (open_channels_ >= kMaxChannelsPerSession) {
    if (core_->dead()) co_return core_->dead_reason();
    if (dl.expired()) co_return Error(ErrorKind::kCommandTimeout, "timed out waiting for a free channel");
    boost::system::error_code ec;
    co_await slot_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  ++open_channels_;
  co_return Result<void>{};
}

void SshConnection::release_channel_slot() {
  --open_channels_;
  slot_signal_.cancel();
}

Task<Result<CommandResult>> SshConnection::exec(std::string command, ExecOptions options) {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "connection already closed");
  if (core_->dead()) co_return core_->dead_reason();
  const WrappedCommand w = wrap_command(command, options, options_.user);
  // The controller's limit is a backstop behind the remote `timeout`.
  Deadline dl;
  if (options.timeout.count() > 0) dl.at = Clock::now() + options.timeout + std::chrono::seconds(5);
  auto timer = core_->arm(dl);
  auto r = co_await run_channel(w.command_line, w.stdin_data, options.max_output, dl);
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

Task<Result<CommandResult>> SshConnection::run_channel(const std::string& command_line, const std::string& input,
                                                       std::size_t max_output, const Deadline& dl) {
  if (auto s = co_await acquire_channel_slot(dl); !s) co_return s.error();
  struct SlotGuard {
    SshConnection* c;
    ~SlotGuard() { c->release_channel_slot(); }
  } slot_guard{this};
  auto core = core_;  // the session outlives this operation even if close() runs

  LIBSSH2_CHANNEL* ch = nullptr;
  auto opened = co_await core->call(
      [&]() -> int {
        ch = libssh2_channel_open_session(core->raw());
        return ch ? 0 : libssh2_session_last_errno(core->raw());
      },
      dl);
  if (!opened) co_return opened.error();
  if (*opened != 0) co_return core->error_from(*opened, "cannot open a channel on " + where());

  // From here on the channel must be freed on every path.
  auto free_channel = [&]() -> Task<void> {
    co_await core->call([&] { return libssh2_channel_free(ch); }, Deadline(Clock::now() + std::chrono::seconds(5)));
  };

  auto started = co_await core->call(
      [&] {
        return libssh2_channel_process_startup(ch, "exec", 4, command_line.data(),
                                               static_cast<unsigned>(command_line.size()));
      },
      dl);
  if (!started || *started != 0) {
    Error e = !started ? started.error() : core->error_from(*started, "the host refused to run the command");
    co_await free_channel();
    co_return e;
  }

  CommandResult result;
  std::size_t in_off = 0;
  bool eof_sent = false, out_done = false, err_done = false;
  std::string buf(kReadChunk, '\0');
  const auto op = core->new_op();
  // Which step holds a partly sent packet: it must be repeated first.
  enum Step { kWrite, kReadOut, kReadErr, kNone } resume = kNone;

  auto read_stream = [&](int stream, std::string& dst, bool& truncated, bool& done, bool& progress) -> int {
    for (int round = 0; round < 16; ++round) {  // yield now and then: other channels need turns
      ssize_t n = libssh2_channel_read_ex(ch, stream, buf.data(), buf.size());
      if (n > 0) {
        progress = true;
        const auto got = static_cast<std::size_t>(n);
        const std::size_t room = max_output > dst.size() ? max_output - dst.size() : 0;
        if (got > room) truncated = true;
        dst.append(buf.data(), std::min(got, room));
        continue;
      }
      if (n == 0) {
        if (libssh2_channel_eof(ch)) done = true;
        return 0;
      }
      return static_cast<int>(n);
    }
    return 0;
  };

  Error failure(ErrorKind::kGeneric, "");
  bool failed = false;
  while (!(out_done && err_done)) {
    if (auto g = co_await core->gate(op, dl); !g) {
      failure = g.error();
      failed = true;
      break;
    }
    bool progress = false;
    bool outbound = false;
    int rc = 0;
    Step step = resume == kNone ? kWrite : resume;
    resume = kNone;
    for (; step != kNone; step = static_cast<Step>(step + 1)) {
      if (step == kWrite) {
        rc = 0;
        if (in_off < input.size()) {
          ssize_t n = libssh2_channel_write_ex(ch, 0, input.data() + in_off, input.size() - in_off);
          if (n > 0) {
            in_off += static_cast<std::size_t>(n);
            progress = true;
          } else {
            rc = static_cast<int>(n);
          }
        } else if (!eof_sent) {
          rc = libssh2_channel_send_eof(ch);
          if (rc == 0) {
            eof_sent = true;
            progress = true;
          }
        }
      } else if (step == kReadOut) {
        rc = out_done ? 0 : read_stream(0, result.out, result.out_truncated, out_done, progress);
      } else {
        rc = err_done ? 0 : read_stream(1, result.err, result.err_truncated, err_done, progress);
      }
      if (rc == LIBSSH2_ERROR_EAGAIN) {
        if (core->outbound_pending()) {
          outbound = true;
          resume = step;  // the identical call must come next, before any other send
          break;
        }
      } else if (rc < 0) {
        break;
      }
    }
    if (rc < 0 && rc != LIBSSH2_ERROR_EAGAIN) {
      failure = core->error_from(rc, "reading the command's output from " + where());
      failed = true;
      core->after_progress(op);
      break;
    }
    if (progress && !outbound) {
      core->after_progress(op);
      continue;
    }
    if (progress) core->wake_all();
    core->settle(op, outbound);
    if (out_done && err_done) break;
    if (auto w = co_await core->wait(dl, outbound); !w) {
      failure = w.error();
      failed = true;
      core->after_progress(op);
      break;
    }
  }
  if (failed) {
    if (!core->dead()) {
      co_await core->call([&] { return libssh2_channel_close(ch); }, Deadline(Clock::now() + std::chrono::seconds(2)));
    }
    co_await free_channel();
    if (failure.kind() == ErrorKind::kTimeout) co_return failure;
    if (core->dead() && core->dead_reason().kind() != ErrorKind::kCancelled) {
      co_return Error(ErrorKind::kConnectionLost, "connection to " + where() + " lost while the command ran (" +
                                                      core->dead_reason().message() + ")");
    }
    co_return failure;
  }

  // Output is complete; wait for the exit status that precedes the close.
  auto closed = co_await core->call([&] { return libssh2_channel_close(ch); }, dl);
  if (closed && *closed == 0) closed = co_await core->call([&] { return libssh2_channel_wait_closed(ch); }, dl);
  char* sig = nullptr;
  size_t sig_len = 0;
  libssh2_channel_get_exit_signal(ch, &sig, &sig_len, nullptr, nullptr, nullptr, nullptr);
  if (sig) {
    result.exit_signal.assign(sig, sig_len);
    libssh2_free(core->raw(), sig);
  }
  result.exit_status = libssh2_channel_get_exit_status(ch);
  co_await free_channel();
  if (!closed) co_return closed.error();
  if (*closed != 0 && core->dead()) {
    co_return Error(ErrorKind::kConnectionLost, "connection to " + where() + " lost before the command finished");
  }
  co_return result;
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

Task<void> SshConnection::close() {
  if (closed_) co_return;
  closed_ = true;
  if (keepalive_timer_) keepalive_timer_->cancel();
  auto core = core_;
  if (!core->dead() && core->raw()) {
    co_await core->call(
        [&] { return libssh2_session_disconnect_ex(core->raw(), SSH_DISCONNECT_BY_APPLICATION, "bye", ""); },
        Deadline(Clock::now() + std::chrono::seconds(2)));
  }
  core->kill(Error(ErrorKind::kCancelled, "connection closed"));
  core->destroy();
}

namespace {

class SshTransport final : public Transport {
 public:
  SshTransport(asio::any_io_executor ex, NoticeSink notices) : ex_(std::move(ex)), notices_(std::move(notices)) {}
  Task<Result<std::unique_ptr<Connection>>> connect(ConnectOptions options) override {
    // sshd drops connections beyond MaxStartups during the handshake (the
    // client sees a reset before the banner): retry those a few times.
    const auto give_up = Clock::now() + options.connect_timeout;
    std::chrono::milliseconds backoff{100};
    for (int attempt = 1;; ++attempt) {
      auto c = co_await SshConnection::open(ex_, options, notices_);
      if (c || c.error().kind() != ErrorKind::kConnectionLost || attempt == 4 ||
          Clock::now() + backoff >= give_up) {
        co_return c;
      }
      asio::steady_timer pause(ex_, backoff);
      boost::system::error_code ec;
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      backoff *= 2;
    }
  }

 private:
  asio::any_io_executor ex_;
  NoticeSink notices_;
};

}  // namespace

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
