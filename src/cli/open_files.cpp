#include "open_files.h"

#include <sys/resource.h>

#include <fstream>
#include <string>

#include "fleetk8s/orchestrator/descriptor_budget.h"
#include "fleetk8s/report/log.h"

namespace fleetk8s::cli {

namespace {

std::uint64_t as_number(rlim_t v) { return v == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(v); }

// Linux refuses an infinite RLIMIT_NOFILE: the kernel's own ceiling is
// fs.nr_open.
rlim_t kernel_ceiling() {
  std::ifstream f("/proc/sys/fs/nr_open");
  unsigned long long n = 0;
  if (f >> n && n > 0) return static_cast<rlim_t>(n);
  return 1048576;
}

std::string how_to_raise(std::uint64_t need, const OpenFilesLimit& limit) {
  std::string text = "raise the open-files limit (`ulimit -n " + std::to_string(need) + "` in the shell";
  if (limit.hard < need) text += ", above the hard limit of " + std::to_string(limit.hard) + ": as root, or in /etc/security/limits.conf";
  return text + "; LimitNOFILE= in a systemd unit)";
}

}  // namespace

OpenFilesLimit open_files_limit() {
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return OpenFilesLimit{UINT64_MAX, UINT64_MAX};
  return OpenFilesLimit{as_number(rl.rlim_cur), as_number(rl.rlim_max)};
}

OpenFilesLimit raise_open_files_limit() {
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != rl.rlim_max) {
    struct rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max == RLIM_INFINITY ? kernel_ceiling() : rl.rlim_max;
    if (raised.rlim_cur > rl.rlim_cur && ::setrlimit(RLIMIT_NOFILE, &raised) != 0)
      report::log_debug("cannot raise the open-files limit from " + std::to_string(rl.rlim_cur) + " to " +
                        std::to_string(raised.rlim_cur));
  }
  return open_files_limit();
}

Result<void> check_open_files_for_engine(const std::vector<orchestrator::ExecTarget>& targets, int connect_parallel) {
  const OpenFilesLimit limit = open_files_limit();
  const std::uint64_t need = orchestrator::descriptors_for_engine(targets, connect_parallel, true);
  if (need <= limit.soft) return {};
  return Error(ErrorKind::kInvalidInput,
               std::to_string(targets.size()) + " hosts need up to " + std::to_string(need) +
                   " open files (a session each, kept for the whole run, and its log), more than this process may "
                   "open (" + std::to_string(limit.soft) + "): " + how_to_raise(need, limit) +
                   ", or run on fewer hosts at once (--limit)");
}

Result<int> fit_exec_forks(const std::vector<orchestrator::ExecTarget>& targets, int forks, int connect_parallel) {
  const OpenFilesLimit limit = open_files_limit();
  const int fit = orchestrator::exec_forks_within(targets, forks, connect_parallel, limit.soft);
  if (fit == forks || fit >= static_cast<int>(targets.size())) return forks;
  if (fit == 0) {
    const std::uint64_t need = orchestrator::descriptors_for_exec(targets, 1, connect_parallel);
    return Error(ErrorKind::kInvalidInput, "the open-files limit (" + std::to_string(limit.soft) +
                                               ") is too low to connect to even one host: " + how_to_raise(need, limit));
  }
  report::log_warn("--forks lowered from " + std::to_string(forks) + " to " + std::to_string(fit) +
                   ": the open-files limit (" + std::to_string(limit.soft) + ", ulimit -n) holds no more hosts at once");
  return fit;
}

}  // namespace fleetk8s::cli
