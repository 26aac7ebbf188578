// Channel: one libssh2 channel running one remote command, pumped by the
// session's gate/wait discipline (see session_core.h). It writes queued
// stdin, sends EOF when asked, and collects stdout and stderr, all
// interleaved, so a command that writes a lot while we still send never
// deadlocks. Private to src/ssh. Use from the executor's thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "fleetk8s/core/command_result.h"
#include "session_core.h"

namespace fleetk8s::ssh {

class Channel {
 public:
  // `where` names the host in messages; output beyond `max_output` bytes per
  // stream is dropped and flagged.
  Channel(std::shared_ptr<SessionCore> core, std::string where, std::size_t max_output);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Takes a channel slot, opens a session channel and starts `command_line`.
  Task<Result<void>> start(const std::string& command_line, const Deadline& deadline);

  // Appends to the stdin still to be sent; queue_eof() ends stdin once all
  // of it is sent. The buffer is freed once sent (a shell's channel lives as
  // long as its host's run).
  void queue_input(std::string_view data) { input_.append(data); }
  // The same, taking over `data` when nothing else is queued (no copy).
  void queue_input(std::string&& data) {
    if (input_.empty()) input_ = std::move(data);
    else input_.append(data);
  }
  void queue_eof() { eof_wanted_ = true; }

  // Pumps until `until()` returns true (checked after every round), or both
  // output streams ended (then ended() is true).
  Task<Result<void>> pump(const Deadline& deadline, const std::function<bool()>& until);

  // True once stdin is fully sent (and EOF, when queued).
  bool input_sent() const { return in_off_ == input_.size() && (!eof_wanted_ || eof_sent_); }
  bool ended() const { return out_done_ && err_done_; }

  // The session the channel belongs to (for deadline timers).
  SessionCore& core() { return *core_; }

  // Output collected so far; callers may consume (erase) from the front.
  std::string& out() { return result_.out; }
  std::string& err() { return result_.err; }

  // REQUIRES: ended(). Closes the channel and fills in the exit status and
  // signal; returns the whole result (output included).
  Task<Result<CommandResult>> finish(const Deadline& deadline);

  // Closes (best effort) and frees the channel, and gives its slot back.
  // Safe to call more than once; must be awaited before destruction.
  Task<void> release();

 private:
  // One round of non-blocking calls. Returns a libssh2 error code (< 0,
  // not EAGAIN) or 0; sets progress/outbound.
  int round(bool& progress, bool& outbound);
  int read_stream(int stream, std::string& dst, bool& truncated, bool& done, bool& progress);

  std::shared_ptr<SessionCore> core_;
  std::string where_;
  std::size_t max_output_;
  LIBSSH2_CHANNEL* ch_ = nullptr;
  bool has_slot_ = false;
  SessionCore::OpId op_;
  std::string input_;
  std::size_t in_off_ = 0;
  bool eof_wanted_ = false, eof_sent_ = false, out_done_ = false, err_done_ = false;
  // Which step left a partly sent packet: it must be repeated first.
  enum Step { kWrite, kReadOut, kReadErr, kNone } resume_ = kNone;
  CommandResult result_;
};

}  // namespace fleetk8s::ssh
