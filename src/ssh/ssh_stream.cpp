#include "ssh_stream.h"

namespace fleetk8s::ssh {

SshStream::SshStream(std::unique_ptr<Channel> channel, std::string where)
    : channel_(std::move(channel)), where_(std::move(where)) {}

SshStream::~SshStream() = default;

Task<Result<void>> SshStream::write(std::string data) {
  if (closed_) co_return Error(ErrorKind::kConnectionLost, "stream already closed");
  channel_->queue_input(data);
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
  if (scanned_ > out.size()) scanned_ = 0;  // the caller consumed output
  auto seen = [&] {
    const std::size_t from = scanned_ >= marker.size() ? scanned_ - marker.size() + 1 : 0;
    found = out.find(marker, from);
    scanned_ = out.size();
    return found != std::string::npos;
  };
  Deadline dl;
  if (timeout.count() > 0) dl = Deadline(Clock::now() + timeout);
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
  scanned_ = found + marker.size();
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
