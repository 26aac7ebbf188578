// The libssh2 implementation of Stream, on one Channel. Private to src/ssh.
#pragma once

#include <memory>

#include "channel.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::ssh {

class SshStream final : public Stream {
 public:
  // REQUIRES: `channel` was started.
  SshStream(std::unique_ptr<Channel> channel, std::string where);
  ~SshStream() override;

  Task<Result<void>> write(std::string data) override;
  Task<Result<std::size_t>> read_until(std::string marker, std::chrono::milliseconds timeout) override;
  std::string& out() override { return channel_->out(); }
  std::string& err() override { return channel_->err(); }
  Task<Result<CommandResult>> close() override;

 private:
  std::unique_ptr<Channel> channel_;
  std::string where_;
  bool closed_ = false;
};

}  // namespace fleetk8s::ssh
