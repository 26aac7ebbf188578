#include "session_core.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <cerrno>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fleetk8s::ssh {

namespace asio = boost::asio;

SessionCore::SessionCore(asio::any_io_executor ex)
    : executor_(ex),
      socket_(ex),
      open_signal_(ex, Clock::time_point::max()),
      gate_signal_(ex, Clock::time_point::max()),
      slot_signal_(ex, Clock::time_point::max()) {}

namespace {
// OpenSSH's default MaxSessions is 10; stay below it.
constexpr int kMaxChannelsPerSession = 8;

// libssh2 zeroes its whole session object with memset (some 80 KB, mostly
// two 35 KB packet buffers), which makes every page of it resident, though a
// session touches only as much of the buffers as its largest packet: 80 MB
// on 1,000 hosts. The heap block's pages that are still all zero go back to
// the kernel (MADV_DONTNEED on private anonymous memory): they read as zeros
// again when libssh2 first touches them, so nothing changes for it.
void release_zero_pages(void* block) {
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(block);
  const auto end = begin + malloc_usable_size(block);
  for (auto p = (begin + page - 1) / page * page; p + page <= end; p += page) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(p);
    if (std::all_of(bytes, bytes + page, [](unsigned char b) { return b == 0; }))
      (void)madvise(reinterpret_cast<void*>(p), page, MADV_DONTNEED);
  }
}
}  // namespace

Task<Result<void>> SessionCore::acquire_channel_slot(const Deadline& deadline) {
  while (open_channels_ >= kMaxChannelsPerSession) {
    if (dead_) co_return *dead_;
    if (deadline.expired()) co_return Error(ErrorKind::kTimeout, "timed out waiting for a free channel");
    boost::system::error_code ec;
    co_await slot_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  ++open_channels_;
  co_return Result<void>{};
}

void SessionCore::release_channel_slot() {
  --open_channels_;
  slot_signal_.cancel();
}

Task<Result<void>> SessionCore::lock_opens(const Deadline& deadline) {
  auto timer = opening_ ? arm(deadline) : nullptr;  // wakes the wait below at the deadline
  while (opening_) {
    if (dead_) co_return *dead_;
    if (deadline.expired()) co_return Error(ErrorKind::kTimeout, "timed out waiting to open a channel");
    boost::system::error_code ec;
    co_await open_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (dead_) co_return *dead_;
  opening_ = true;
  co_return Result<void>{};
}

void SessionCore::unlock_opens() {
  opening_ = false;
  open_signal_.cancel();
}

SessionCore::~SessionCore() { destroy(); }

Result<void> SessionCore::create() {
  session_ = libssh2_session_init_ex(nullptr, nullptr, nullptr, this);
  if (!session_) return Error(ErrorKind::kProtocol, "cannot create an SSH session (out of memory?)");
  release_zero_pages(session_);  // libssh2's default allocator: malloc
#if LIBSSH2_VERSION_NUM >= 0x010b01  // 1.11.1 deprecates the void* form
  libssh2_session_callback_set2(session_, LIBSSH2_CALLBACK_RECV,
                                reinterpret_cast<libssh2_cb_generic*>(&SessionCore::counting_recv));
#else
  libssh2_session_callback_set(session_, LIBSSH2_CALLBACK_RECV, reinterpret_cast<void*>(&SessionCore::counting_recv));
#endif
  libssh2_session_set_blocking(session_, 0);
  return {};
}

Task<Result<void>> SessionCore::gate(OpId op, const Deadline& deadline) {
  while (gate_owner_ != 0 && gate_owner_ != op) {
    if (dead_) co_return *dead_;
    if (deadline.expired()) co_return Error(ErrorKind::kTimeout, "timed out");
    boost::system::error_code ec;
    co_await gate_signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (dead_) co_return *dead_;
  co_return Result<void>{};
}

ssize_t SessionCore::counting_recv(libssh2_socket_t fd, void* buffer, size_t length, int flags, void** abstract) {
  const ssize_t n = ::recv(fd, buffer, length, flags);
  if (n > 0) static_cast<SessionCore*>(*abstract)->received_ += static_cast<std::uint64_t>(n);
  // libssh2 expects -errno on failure.
  return n < 0 ? -errno : n;
}

bool SessionCore::outbound_pending() const {
  return session_ && (libssh2_session_block_directions(session_) & LIBSSH2_SESSION_BLOCK_OUTBOUND);
}

void SessionCore::settle(OpId op, bool outbound) {
  if (outbound) {
    gate_owner_ = op;
  } else if (gate_owner_ == op) {
    gate_owner_ = 0;
    gate_signal_.cancel();
  }
}

void SessionCore::after_progress(OpId op) {
  if (gate_owner_ == op) gate_owner_ = 0;
  wake_all();
}

void SessionCore::wake_all() {
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  gate_signal_.cancel();
  open_signal_.cancel();  // lock_opens() waiters re-check their deadline
}

Task<Result<void>> SessionCore::wait(const Deadline& deadline, bool outbound) {
  if (dead_) co_return *dead_;
  if (deadline.expired()) co_return Error(ErrorKind::kTimeout, "timed out");
  auto w = outbound ? asio::socket_base::wait_write : asio::socket_base::wait_read;
  // A wait that ends in operation_aborted was a wake-up: the caller retries.
  boost::system::error_code ec;
  co_await socket_.async_wait(w, asio::redirect_error(asio::use_awaitable, ec));
  quick_ack();
  if (dead_) co_return *dead_;
  if (deadline.expired()) co_return Error(ErrorKind::kTimeout, "timed out");
  if (ec && ec != asio::error::operation_aborted) {
    kill(Error(ErrorKind::kConnectionLost, "connection lost: " + ec.message()));
    co_return *dead_;
  }
  co_return Result<void>{};
}

void SessionCore::quick_ack() {
  // sshd does not disable Nagle on sessions without a terminal: it holds a
  // small packet until the previous one is acknowledged, and Linux delays
  // our ACKs by up to 40 ms or more. Acknowledging at once keeps a chatty
  // command (a remote shell framing many small answers) from stalling.
  // Linux clears the flag after use, so it is set before every read.
  if (!tcp_ || !socket_.is_open()) return;
  int one = 1;
  ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

void SessionCore::kill(Error why) {
  if (!dead_) dead_ = std::move(why);
  wake_all();
  slot_signal_.cancel();
}

std::unique_ptr<asio::steady_timer> SessionCore::arm(const Deadline& deadline) {
  if (!deadline.at) return nullptr;
  auto timer = std::make_unique<asio::steady_timer>(executor_, *deadline.at);
  // The timer may fire just before the operation ends and the session goes:
  // the handler then finds no session and does nothing.
  timer->async_wait([self = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto core = self.lock()) core->wake_all();
  });
  return timer;
}

Error SessionCore::error_from(int rc, const std::string& what) {
  char* msg = nullptr;
  int len = 0;
  if (session_) libssh2_session_last_error(session_, &msg, &len, 0);
  std::string detail = (msg && len > 0) ? std::string(msg, static_cast<size_t>(len)) : "";
  std::string text = what + " (libssh2 " + std::to_string(rc) + (detail.empty() ? "" : ": " + detail) + ")";
  switch (rc) {
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT: {
      Error e(ErrorKind::kConnectionLost, "connection lost: " + text);
      kill(e);
      return e;
    }
    default:
      return Error(ErrorKind::kProtocol, text);
  }
}

void SessionCore::destroy() {
  boost::system::error_code ignored;
  if (socket_.is_open()) {
    // Shut down first: libssh2_session_free may otherwise wait on the peer.
    socket_.shutdown(Socket::shutdown_both, ignored);
  }
  if (session_) {
    libssh2_session_free(session_);
    session_ = nullptr;
  }
  if (socket_.is_open()) socket_.close(ignored);
}

}  // namespace fleetk8s::ssh
