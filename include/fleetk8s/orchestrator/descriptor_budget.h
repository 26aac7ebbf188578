// How many file descriptors a command needs, to hold them against the
// open-files limit (RLIMIT_NOFILE, `ulimit -n`) before any host is
// contacted: a run that meets the limit half-way loses hosts to "Too many
// open files" instead. Estimates from above; knows what the runners keep
// open and for how long.
#pragma once

#include <cstdint>
#include <vector>

#include "fleetk8s/orchestrator/exec_runner.h"

namespace fleetk8s::orchestrator {

// What any command holds whatever its hosts: the standard streams, the
// event loop, the resolver's thread, the run folder's events.jsonl, the
// --report files, libraries' own.
inline constexpr std::uint64_t kBaseDescriptors = 64;

// What one host holds while it is connected: its TCP socket, or through
// jump hosts the two ends of a tunnel's socketpair; and its run folder log
// (hosts/HOST.log) when there is a run folder.
std::uint64_t descriptors_per_host(const ExecTarget& target, bool run_folder);

// What the sessions to the jump hosts hold: one socket each (a socketpair
// for a jump host reached through another), shared by the hosts behind.
std::uint64_t jump_session_descriptors(const std::vector<ExecTarget>& targets);

// A playbook run (run, up, check, ...): every host's session stays open
// until the command ends, whatever --forks says, and up to
// `connect_parallel` logins hold an ssh-agent socket besides.
std::uint64_t descriptors_for_engine(const std::vector<ExecTarget>& targets, int connect_parallel, bool run_folder);

// `exec`: `forks` hosts connected at once.
std::uint64_t descriptors_for_exec(const std::vector<ExecTarget>& targets, int forks, int connect_parallel);

// The largest forks, at most `forks`, whose exec fits in `limit`
// descriptors; 0 when not even one host at a time fits.
int exec_forks_within(const std::vector<ExecTarget>& targets, int forks, int connect_parallel, std::uint64_t limit);

}  // namespace fleetk8s::orchestrator
