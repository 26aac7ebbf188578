#include "tunnel.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/socket.h>
#include <vector>

namespace fleetk8s::ssh {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kChunk = 32 * 1024;
constexpr auto kCleanupTime = std::chrono::seconds(5);

// What both pumping directions share. Owned by both coroutines; the last
// one to end frees the channel and drops the jump session's lease.
struct Pipe {
  Pipe(std::shared_ptr<SessionCore> c, std::shared_ptr<void> k, SessionCore::Socket s, LIBSSH2_CHANNEL* ch)
      : core(std::move(c)), keep(std::move(k)), local(std::move(s)), channel(ch) {}
  std::shared_ptr<SessionCore> core;
  std::shared_ptr<void> keep;
  SessionCore::Socket local;  // our end of the socketpair
  LIBSSH2_CHANNEL* channel;
  bool stop = false;  // one direction ended: the other one stops too
  int running = 2;
};

Deadline cleanup_deadline() { return Deadline(Clock::now() + kCleanupTime); }

// Called by each direction when it ends.
Task<void> end_direction(std::shared_ptr<Pipe> p) {
  p->stop = true;
  boost::system::error_code ignored;
  p->local.cancel(ignored);  // ends the other direction's socket wait
  p->core->wake_all();       // ... or its wait on the jump session
  if (--p->running > 0) co_return;
  p->local.close(ignored);  // the inner session sees the end of its connection
  if (!p->core->dead()) {   // a dead session frees its channels itself
    (void)co_await p->core->call([&] { return libssh2_channel_close(p->channel); }, cleanup_deadline());
    if (!p->core->dead()) (void)co_await p->core->call([&] { return libssh2_channel_free(p->channel); }, cleanup_deadline());
  }
  p->keep.reset();
}

// One non-blocking libssh2 call of a pump, under the gate discipline of
// session_core.h. Returns the call's result once it is not EAGAIN, or
// EAGAIN after a wait (the caller may then look at `stop` and retry), or
// nullopt when the session failed. `holding` is true while a partly sent
// packet of ours is pending: the identical call must then come next.
template <class Fn>
Task<std::optional<ssize_t>> pump_step(SessionCore& core, SessionCore::OpId op, bool& holding, Fn fn) {
  if (auto g = co_await core.gate(op, Deadline()); !g) co_return std::nullopt;
  const auto before = core.received();
  const ssize_t n = fn();
  if (n != LIBSSH2_ERROR_EAGAIN) {
    holding = false;
    core.after_progress(op);
    co_return n;
  }
  const bool outbound = core.outbound_pending();
  holding = outbound;
  if (core.received() != before && !outbound) {  // queued something, maybe for another channel
    core.settle(op, false);
    core.wake_all();
    co_return n;
  }
  core.settle(op, outbound);
  if (auto w = co_await core.wait(Deadline(), outbound); !w) {
    if (outbound) core.after_progress(op);
    holding = false;
    co_return std::nullopt;
  }
  co_return n;
}

// The inner session's bytes to the channel. Ends at the inner socket's end
// (sending EOF on the channel) or when the channel or jump session fails.
Task<void> upstream(std::shared_ptr<Pipe> p) {
  std::vector<char> buf(kChunk);
  SessionCore& core = *p->core;
  const SessionCore::OpId op = core.new_op();
  bool failed = false, holding = false;
  while (!p->stop && !failed) {
    boost::system::error_code ec;
    const std::size_t n =
        co_await p->local.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
    if (p->stop) break;
    if (ec) {
      if (ec == asio::error::eof && !core.dead()) {
        (void)co_await core.call([&] { return libssh2_channel_send_eof(p->channel); }, cleanup_deadline());
      }
      break;
    }
    // Never give up halfway through a packet (holding): the session would stay gated.
    for (std::size_t off = 0; off < n && (!p->stop || holding);) {
      auto w = co_await pump_step(core, op, holding, [&] {
        return libssh2_channel_write_ex(p->channel, 0, buf.data() + off, n - off);
      });
      if (!w || (*w < 0 && *w != LIBSSH2_ERROR_EAGAIN)) {
        failed = true;
        break;
      }
      if (*w > 0) off += static_cast<std::size_t>(*w);
      // 0: the window is full; the next round waits for the host's adjustment.
      if (*w == 0) {
        auto waited = co_await core.wait(Deadline(), false);
        if (!waited) failed = true;
      }
    }
  }
  co_await end_direction(p);
}

// The channel's bytes to the inner session. Ends at the channel's EOF or
// when anything fails.
Task<void> downstream(std::shared_ptr<Pipe> p) {
  std::vector<char> buf(kChunk);
  SessionCore& core = *p->core;
  const SessionCore::OpId op = core.new_op();
  bool holding = false;
  while (!p->stop || holding) {
    auto n = co_await pump_step(core, op, holding,
                                [&] { return libssh2_channel_read_ex(p->channel, 0, buf.data(), buf.size()); });
    if (!n || (*n < 0 && *n != LIBSSH2_ERROR_EAGAIN)) break;
    if (*n > 0) {
      boost::system::error_code ec;
      co_await asio::async_write(p->local, asio::buffer(buf.data(), static_cast<std::size_t>(*n)),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      continue;
    }
    if (!holding && libssh2_channel_eof(p->channel)) {
      boost::system::error_code ignored;
      p->local.shutdown(SessionCore::Socket::shutdown_send, ignored);
      break;
    }
    // 0 without EOF: nothing yet; pump_step waits on EAGAIN, so wait here too.
    if (*n == 0) {
      auto waited = co_await core.wait(Deadline(), false);
      if (!waited) break;
    }
  }
  co_await end_direction(p);
}

}  // namespace

Task<Result<SessionCore::Socket>> open_tunnel(std::shared_ptr<SessionCore> jump, std::shared_ptr<void> keep,
                                              std::string host, int port, const Deadline& dl) {
  SessionCore& core = *jump;
  const std::string target = host + ":" + std::to_string(port);
  if (core.dead()) co_return core.dead_reason();
  if (auto l = co_await core.lock_opens(dl); !l) {
    if (l.error().kind() == ErrorKind::kTimeout) {
      co_return Error(ErrorKind::kTimeout, "timed out waiting to open a channel to " + target);
    }
    co_return l.error();
  }
  LIBSSH2_CHANNEL* ch = nullptr;
  auto opened = co_await core.call(
      [&]() -> int {
        ch = libssh2_channel_direct_tcpip_ex(core.raw(), host.c_str(), port, "127.0.0.1", 0);
        return ch ? 0 : libssh2_session_last_errno(core.raw());
      },
      dl);
  core.unlock_opens();
  if (!opened) {
    if (opened.error().kind() == ErrorKind::kTimeout) {
      co_return Error(ErrorKind::kTimeout, "opening a channel to " + target + " timed out");
    }
    co_return opened.error();
  }
  if (*opened == LIBSSH2_ERROR_CHANNEL_FAILURE) {
    // The jump host answered: it could not connect (refused, no route,
    // forwarding not allowed). The host behind it is unreachable.
    char* msg = nullptr;
    int len = 0;
    libssh2_session_last_error(core.raw(), &msg, &len, 0);
    const std::string why = msg && len > 0 ? std::string(msg, static_cast<std::size_t>(len)) : "channel open failure";
    co_return Error(ErrorKind::kConnectRefused, "the jump host cannot connect to " + target + " (" + why + ")");
  }
  if (*opened != 0) co_return core.error_from(*opened, "cannot open a channel to " + target);
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
    const int err = errno;
    (void)co_await core.call([&] { return libssh2_channel_free(ch); }, cleanup_deadline());
    co_return Error(ErrorKind::kIo, std::string("cannot create a socketpair: ") + std::strerror(err));
  }
  const asio::generic::stream_protocol unix_stream(AF_UNIX, 0);
  SessionCore::Socket inner(core.executor(), unix_stream, fds[0]);
  SessionCore::Socket local(core.executor(), unix_stream, fds[1]);
  auto pipe = std::make_shared<Pipe>(std::move(jump), std::move(keep), std::move(local), ch);
  asio::co_spawn(pipe->core->executor(), upstream(pipe), asio::detached);
  asio::co_spawn(pipe->core->executor(), downstream(pipe), asio::detached);
  co_return std::move(inner);
}

}  // namespace fleetk8s::ssh
