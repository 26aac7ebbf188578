// The cluster's run lock: one `fleetk8s up` or `reset` at a time per
// cluster, whether started by hand or by a timer, from any machine.
//
// The lock lives on the first control-plane host: /var/lib/fleetk8s/run.lock
// held with flock(1) by a remote shell that stays open on its own SSH channel
// for the whole run, next to run.lock.holder, which says who holds it (user,
// controller host, pid, command, start time). Because the kernel releases a
// flock when its holder dies, a run that is killed (or whose controller
// vanishes) cannot leave a lock that blocks forever: once sshd notices the
// dead connection the lock is free again, and the next run finds the holder
// file left behind and reports that it took over a stale lock. A clean
// release removes the holder file. `check` takes no lock: it changes nothing.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::orchestrator {

// Who holds (or held) the lock. Written as key=value lines on the host.
struct LockHolder {
  std::string user;     // the controller's user
  std::string host;     // the controller's host name
  long pid = 0;         // the controller's fleetk8s process
  std::string command;  // "up", "reset"
  std::string started;  // UTC, ISO 8601
  std::string remote_pid;  // the lock-holding shell on the host (for `kill`)

  // The holder of this process, now.
  static LockHolder me(const std::string& command);
  // "alice@laptop (pid 4242, fleetk8s up, since 2026-11-26T04:10:00Z)"
  std::string describe() const;
};

// Parses the holder file's key=value lines; unknown keys are ignored.
LockHolder parse_lock_holder(const std::string& text);

class RunLock {
 public:
  struct Outcome {
    std::unique_ptr<RunLock> lock;       // set when acquired
    std::optional<LockHolder> held_by;   // set when another run holds it
    std::optional<LockHolder> stale;     // acquired over a holder that never released
  };

  // Takes the lock through `conn` (sudo per `become`), waiting up to `wait`
  // for another holder to finish (0: do not wait). `on_wait` is called once
  // with the current holder when the lock is busy and `wait` > 0. Errors are
  // for a lock that could not be tried at all (no flock on the host, no
  // permission, lost connection). REQUIRES: `conn` outlives the lock.
  static ssh::Task<Result<Outcome>> acquire(ssh::Connection& conn, ssh::BecomeOptions become, LockHolder me,
                                            std::chrono::seconds wait,
                                            std::function<void(const LockHolder&)> on_wait = {});

  // Releases the lock and removes the holder file. Safe to call twice.
  ssh::Task<Result<void>> release();

  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  explicit RunLock(std::unique_ptr<ssh::Stream> stream);
  std::unique_ptr<ssh::Stream> stream_;
};

// How long the host may take for each answer of the lock script (sudo,
// mkdir, flock; with --wait-lock, on top of the wait): $FLEETK8S_LOCK_TIMEOUT
// as a duration (90s, 5m), else 60 s. A timed-out answer's error names it.
// Errors (kInvalidInput) when the variable is set but not a duration.
Result<std::chrono::seconds> lock_answer_timeout();

// The lock-taking shell script (exposed for tests): prints "BUSY" + holder +
// "END" when another holder has it, "LOCKED" + previous holder + "END" once
// it is ours, then holds it until it reads "release" (removes the holder
// file) or its stdin ends (the holder file stays: a stale lock).
std::string run_lock_script(const LockHolder& me, std::chrono::seconds wait);

}  // namespace fleetk8s::orchestrator
