#include "channel.h"

namespace fleetk8s::ssh {

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr auto kCleanupTime = std::chrono::seconds(5);

// One read buffer for all the thread's channels: read_stream copies out of it
// before it returns, so no channel needs its own (64 KB each, kept for the
// whole run by every host's long-lived shell, was 64 MB on 1,000 hosts).
char* read_buffer() {
  thread_local const std::unique_ptr<char[]> buf(new char[kReadChunk]);
  return buf.get();
}
}  // namespace

Channel::Channel(std::shared_ptr<SessionCore> core, std::string where, std::size_t max_output)
    : core_(std::move(core)), where_(std::move(where)), max_output_(max_output), op_(core_->new_op()) {}

Channel::~Channel() {
  // release() should have run; a channel still open here is freed with the session.
  if (has_slot_) core_->release_channel_slot();
}

Task<Result<void>> Channel::start(const std::string& command_line, const Deadline& dl) {
  if (auto s = co_await core_->acquire_channel_slot(dl); !s) co_return s.error();
  has_slot_ = true;
  if (auto l = co_await core_->lock_opens(dl); !l) co_return l.error();
  auto opened = co_await core_->call(
      [&]() -> int {
        ch_ = libssh2_channel_open_session(core_->raw());
        return ch_ ? 0 : libssh2_session_last_errno(core_->raw());
      },
      dl);
  core_->unlock_opens();
  if (!opened) co_return opened.error();
  if (*opened != 0) co_return core_->error_from(*opened, "cannot open a channel on " + where_);
  auto started = co_await core_->call(
      [&] {
        return libssh2_channel_process_startup(ch_, "exec", 4, command_line.data(),
                                               static_cast<unsigned>(command_line.size()));
      },
      dl);
  if (!started) co_return started.error();
  if (*started != 0) co_return core_->error_from(*started, "the host refused to run the command");
  co_return Result<void>{};
}

int Channel::read_stream(int stream, std::string& dst, bool& truncated, bool& done, bool& progress) {
  char* const buf = read_buffer();
  for (int i = 0; i < 16; ++i) {  // yield now and then: other channels need turns
    const ssize_t n = libssh2_channel_read_ex(ch_, stream, buf, kReadChunk);
    if (n > 0) {
      progress = true;
      const auto got = static_cast<std::size_t>(n);
      const std::size_t room = max_output_ > dst.size() ? max_output_ - dst.size() : 0;
      if (got > room) truncated = true;
      dst.append(buf, std::min(got, room));
      continue;
    }
    if (n == 0) {
      if (libssh2_channel_eof(ch_)) done = true;
      return 0;
    }
    return static_cast<int>(n);
  }
  return 0;
}

int Channel::round(bool& progress, bool& outbound) {
  int rc = 0;
  Step step = resume_ == kNone ? kWrite : resume_;
  resume_ = kNone;
  for (; step != kNone; step = static_cast<Step>(step + 1)) {
    rc = 0;
    if (step == kWrite) {
      if (in_off_ < input_.size()) {
        const ssize_t n = libssh2_channel_write_ex(ch_, 0, input_.data() + in_off_, input_.size() - in_off_);
        if (n > 0) {
          in_off_ += static_cast<std::size_t>(n);
          progress = true;
        } else {
          rc = static_cast<int>(n);
        }
      } else if (eof_wanted_ && !eof_sent_) {
        rc = libssh2_channel_send_eof(ch_);
        if (rc == 0) {
          eof_sent_ = true;
          progress = true;
        }
      }
    } else if (step == kReadOut) {
      if (!out_done_) rc = read_stream(0, result_.out, result_.out_truncated, out_done_, progress);
    } else if (!err_done_) {
      rc = read_stream(1, result_.err, result_.err_truncated, err_done_, progress);
    }
    if (rc == LIBSSH2_ERROR_EAGAIN) {
      if (core_->outbound_pending()) {
        outbound = true;
        resume_ = step;  // the identical call must come next, before any other send
        return rc;
      }
      rc = 0;
    } else if (rc < 0) {
      return rc;
    }
  }
  if (in_off_ == input_.size() && in_off_ > 0) {  // sent: free the memory
    std::string().swap(input_);
    in_off_ = 0;
  }
  return rc;
}

Task<Result<void>> Channel::pump(const Deadline& dl, const std::function<bool()>& until) {
  while (!ended()) {
    if (until && until()) co_return Result<void>{};
    if (auto g = co_await core_->gate(op_, dl); !g) co_return g.error();
    bool progress = false, outbound = false;
    const auto before = core_->received();
    const int rc = round(progress, outbound);
    if (rc < 0 && rc != LIBSSH2_ERROR_EAGAIN) {
      core_->after_progress(op_);
      co_return core_->error_from(rc, "talking to the command on " + where_);
    }
    if (progress && !outbound) {
      core_->after_progress(op_);
      continue;
    }
    if (progress) core_->wake_all();
    core_->settle(op_, outbound);
    if (ended()) break;
    if (core_->received() != before && !outbound) {
      // Bytes came in but no read of ours returned them: they may sit in
      // libssh2's queue for our other stream or another channel. Look again
      // instead of sleeping on a socket that has nothing more to say.
      core_->wake_all();
      continue;
    }
    if (until && until()) co_return Result<void>{};
    if (auto w = co_await core_->wait(dl, outbound); !w) {
      if (outbound) core_->after_progress(op_);
      co_return w.error();
    }
  }
  co_return Result<void>{};
}

Task<Result<CommandResult>> Channel::finish(const Deadline& dl) {
  auto closed = co_await core_->call([&] { return libssh2_channel_close(ch_); }, dl);
  if (closed && *closed == 0) closed = co_await core_->call([&] { return libssh2_channel_wait_closed(ch_); }, dl);
  if (!closed) co_return closed.error();
  if (*closed != 0) co_return core_->error_from(*closed, "closing the channel on " + where_);
  char* sig = nullptr;
  size_t sig_len = 0;
  libssh2_channel_get_exit_signal(ch_, &sig, &sig_len, nullptr, nullptr, nullptr, nullptr);
  if (sig) {
    result_.exit_signal.assign(sig, sig_len);
    libssh2_free(core_->raw(), sig);
  }
  result_.exit_status = libssh2_channel_get_exit_status(ch_);
  co_return std::move(result_);
}

Task<void> Channel::release() {
  if (ch_ && !core_->dead()) {
    const Deadline dl(Clock::now() + kCleanupTime);
    (void)co_await core_->call([&] { return libssh2_channel_close(ch_); }, dl);
    (void)co_await core_->call([&] { return libssh2_channel_free(ch_); }, dl);
  }
  ch_ = nullptr;  // with a dead session, libssh2_session_free frees it
  if (has_slot_) {
    has_slot_ = false;
    core_->release_channel_slot();
  }
}

}  // namespace fleetk8s::ssh
