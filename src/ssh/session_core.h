// SessionCore: one stream socket and one non-blocking libssh2 session,
// driven by Asio. The socket is TCP to the host, or one end of a socketpair
// whose other end a Tunnel pumps through a jump host's channel. Every libssh2 call of the session goes through call() or a
// pump built on gate()/wait(), which enforce libssh2's two rules:
//  - on EAGAIN, wait for the socket in the direction libssh2 asks for, then
//    repeat the identical call;
//  - while a packet is partly sent (EAGAIN outbound), nobody else may send:
//    the operation that owns the pending packet holds the send gate.
// Any call that made progress wakes every other waiter, because reading for
// one channel can queue another channel's data inside libssh2.
// Private to src/ssh. Use from the executor's thread only.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <libssh2.h>
#include <memory>
#include <optional>
#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::ssh {

template <class T>
using Task = boost::asio::awaitable<T>;
using Clock = std::chrono::steady_clock;

// A point in time after which an operation gives up. Shared with a timer
// that wakes the session's waiters when it passes.
struct Deadline {
  Deadline() {}  // not an aggregate: see BecomeOptions in options.h
  explicit Deadline(Clock::time_point t) : at(t) {}
  std::optional<Clock::time_point> at;
  bool expired() const { return at && Clock::now() >= *at; }
};

// Always owned by a shared_ptr: timers hold weak references to it.
class SessionCore : public std::enable_shared_from_this<SessionCore> {
 public:
  // A TCP socket (assigned with a generic protocol) or a socketpair end.
  using Socket = boost::asio::generic::stream_protocol::socket;

  explicit SessionCore(boost::asio::any_io_executor ex);
  ~SessionCore();
  SessionCore(const SessionCore&) = delete;
  SessionCore& operator=(const SessionCore&) = delete;

  Socket& socket() { return socket_; }
  // Whether socket() is TCP (only then are TCP options such as QUICKACK set).
  void set_tcp(bool tcp) { tcp_ = tcp; }
  LIBSSH2_SESSION* raw() const { return session_; }
  const boost::asio::any_io_executor& executor() const { return executor_; }

  // Creates the libssh2 session object (non-blocking). REQUIRES: not yet made.
  Result<void> create();

  // Identifies one logical operation, so the send gate knows its owner.
  using OpId = std::uint64_t;
  OpId new_op() { return ++last_op_; }

  // Runs `fn` (a libssh2 call returning int) until it stops saying EAGAIN.
  // Returns its final return code, or an error when the deadline passed or
  // the session died while waiting.
  template <class Fn>
  Task<Result<int>> call(Fn fn, const Deadline& deadline);

  // Low-level pieces for pumps that interleave several calls per round.
  // gate(): waits until no other op holds the send gate.
  Task<Result<void>> gate(OpId op, const Deadline& deadline);
  // True when the call that just returned EAGAIN left a partly sent packet
  // (read libssh2's block directions right after that call, not later).
  bool outbound_pending() const;
  // After EAGAIN: keeps the gate for `op` while a packet is partly sent,
  // else frees it. Always followed by wait().
  void settle(OpId op, bool outbound);
  // After a call made progress: frees the gate and wakes all waiters.
  void after_progress(OpId op);
  // Waits until the socket is writable (outbound) or readable, or until
  // another operation wakes this session.
  Task<Result<void>> wait(const Deadline& deadline, bool outbound);

  // Asks the kernel to acknowledge received data at once (TCP_QUICKACK).
  void quick_ack();

  // Bytes libssh2 has read from the socket so far. A call that returns
  // EAGAIN may still have received packets (for another channel or stream)
  // into libssh2's queues: whoever sees this number move must not sleep on
  // the socket, and must wake the others.
  std::uint64_t received() const { return received_; }

  // Wakes every waiter of this session (they retry their calls).
  void wake_all();

  // Marks the session dead: every current and later wait fails with it.
  void kill(Error why);
  bool dead() const { return dead_.has_value(); }
  const Error& dead_reason() const { return *dead_; }

  // Schedules a wake-up of this session's waiters at `deadline.at`.
  // Returns the timer; destroying or cancelling it disarms it.
  std::unique_ptr<boost::asio::steady_timer> arm(const Deadline& deadline);

  // Converts a libssh2 error code into an Error, using the session's last
  // error message; socket errors mark the session dead.
  Error error_from(int rc, const std::string& what);

  // Channels open at once are limited (OpenSSH's MaxSessions is 10): waits
  // for a free slot. Every acquired slot must be released.
  Task<Result<void>> acquire_channel_slot(const Deadline& deadline);
  void release_channel_slot();

  // libssh2 keeps the state of a channel being opened in the session, not
  // in the channel: two opens in flight at once would swap their channels
  // (fatal for direct-tcpip, whose channels lead to different hosts). Opens
  // hold this lock; every successful lock_opens() needs an unlock_opens().
  Task<Result<void>> lock_opens(const Deadline& deadline);
  void unlock_opens();

  // Closes the socket (after shutdown) and frees the libssh2 session.
  void destroy();

 private:
  boost::asio::any_io_executor executor_;
  Socket socket_;
  bool tcp_ = false;
  LIBSSH2_SESSION* session_ = nullptr;
  boost::asio::steady_timer open_signal_;  // cancelled when the open lock frees
  bool opening_ = false;
  boost::asio::steady_timer gate_signal_;  // never expires; cancelled to wake gate waiters
  OpId gate_owner_ = 0;                    // 0 = free
  boost::asio::steady_timer slot_signal_;  // cancelled when a channel slot frees
  int open_channels_ = 0;
  OpId last_op_ = 0;
  // libssh2's recv callback: ::recv that also counts into received_.
  static ssize_t counting_recv(libssh2_socket_t fd, void* buffer, size_t length, int flags, void** abstract);

  std::optional<Error> dead_;
  std::uint64_t received_ = 0;  // counted by the recv callback given to libssh2
};

template <class Fn>
Task<Result<int>> SessionCore::call(Fn fn, const Deadline& deadline) {
  const OpId op = new_op();
  auto timer = arm(deadline);  // wakes the wait below when the deadline passes
  for (;;) {
    if (auto g = co_await gate(op, deadline); !g) co_return g.error();
    const auto before = received_;
    const int rc = fn();
    if (rc != LIBSSH2_ERROR_EAGAIN) {
      after_progress(op);
      co_return rc;
    }
    const bool outbound = outbound_pending();
    if (received_ != before && !outbound) {  // queued something, maybe not for us
      settle(op, false);
      wake_all();
      continue;
    }
    settle(op, outbound);
    if (auto w = co_await wait(deadline, outbound); !w) {
      if (gate_owner_ == op) after_progress(op);
      co_return w.error();
    }
  }
}

}  // namespace fleetk8s::ssh
