#include "ssh_stream.h"

namespace fleetk8s::ssh {

SshStream::SshStream(std::unique_ptr<Channel> channel, std::string where)
    : channel_(std::move(channel)), where_(std::move(where)) {}

SshStream::~SshStream() = default;

Task<Result<void>> SshStream::write(std::string data) {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "stream already closed");
  channel_->queue_input(std::move(data));
  auto r = co_await channel_->pump(Deadline(), [this] { return channel_->input_sent(); });
  if (!r) co_return r;
  if (!channel_->input_sent()) {
    co_return Error(ErrorKind::kConnectionLost, "the remote command on " + where_ + " ended before reading its input");
  }
  co_return Result<void>{};
}

Task<Result<std::size_t>> SshStream::read_until(std::string marker, std::chrono::milliseconds timeout) {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "stream already closed");
  std::size_t found = std::string::npos;
  auto& out = channel_->out();
  // What this call has searched: each call starts at the front, because
  // out() may already hold the answer (read while the request was being
  // sent) and the caller consumes from the front between calls.
  std::size_t scanned = 0;
  auto seen = [&] {
    const std::size_t from = scanned >= marker.size() ? scanned - marker.size() + 1 : 0;
    found = out.find(marker, from);
    scanned = out.size();
    return found != std::string::npos;
  };
  Deadline dl;
  if (timeout.count() > 0) dl = Deadline(Clock::now() + timeout);
  auto timer = channel_->core().arm(dl);  // wakes the pump when the time is up
  auto r = co_await channel_->pump(dl, seen);
  if (!r) {
    if (r.error().kind() == ErrorKind::kTimeout) {
      co_return Error(ErrorKind::kCommandTimeout, "no answer from " + where_ + " in time");
    }
    co_return r.error();
  }
  if (found == std::string::npos && !seen()) {
    std::string err = channel_->err();
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    co_return Error(ErrorKind::kConnectionLost,
                    "the remote shell on " + where_ + " ended unexpectedly" + (err.empty() ? "" : ": " + err));
  }
  co_return found + marker.size();
}

Task<Result<CommandResult>> SshStream::close() {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "stream already closed");
  closed_ = true;
  channel_->queue_eof();
  const Deadline dl(Clock::now() + std::chrono::seconds(30));
  auto pumped = co_await channel_->pump(dl, nullptr);
  if (!pumped) {
    co_await channel_->release();
    co_return pumped.error();
  }
  auto finished = co_await channel_->finish(dl);
  co_await channel_->release();
  co_return finished;
}

}  // namespace fleetk8s::ssh
