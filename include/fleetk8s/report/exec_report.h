// How `fleetk8s exec` shows its results: one block per host as soon as the
// host finishes (never interleaved), every line prefixed by the host name,
// then one summary line per outcome. Knows nothing of SSH.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "fleetk8s/report/host_outcome.h"

namespace fleetk8s::report {

// Text for one finished host:
//   web1 | ok | rc=0 | 0.08s
// ("| 1 connect retry" after the time when the host needed retries)
//   web1 | <stdout line>
//   web1 ! <stderr line>
// with secrets masked (secrets.h).
std::string format_host_block(const HostOutcome& outcome);

// The closing lines: "ok: 3 hosts", "failed: 1 host: web2 (exit status 2)",
// "unreachable: ...", "connect retries: ..." (format_connect_retries) when
// some host needed them, and the total with the wall time; secrets masked.
std::string format_summary(const std::vector<HostOutcome>& outcomes, double seconds);

// Exit status for a run: 0 all ok, 2 some failed, 4 some unreachable,
// 6 both (bit flags, as Ansible's 2 and 4).
int exit_code(const std::vector<HostOutcome>& outcomes);

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitHostFailed = 2;
inline constexpr int kExitHostUnreachable = 4;

const char* to_string(HostStatus status);

}  // namespace fleetk8s::report
