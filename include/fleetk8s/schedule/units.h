// The systemd units of a scheduled fleetk8s run: a oneshot service that
// runs `fleetk8s up` (or `check`) once, and a timer that starts it; or,
// for `fleetk8s watch`, one long-running service that systemd restarts when
// it fails. Pure
// text in and out, so every rule is unit-testable without systemd:
// rendering (with systemd's quoting and specifier escaping), unit names,
// the marker that tells units fleetk8s wrote from anyone else's, and
// reading back what an installed pair runs.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/schedule/every.h"

namespace fleetk8s::schedule {

// The first line of every unit fleetk8s writes. Units without it are not
// fleetk8s' to overwrite or remove.
inline constexpr std::string_view kMarker = "# Written by fleetk8s schedule.";

struct UnitSpec {
  std::string name;                    // NAME of fleetk8s-NAME.service / .timer (check_name() rules)
  Every every;                         // when the timer starts the service
  std::vector<std::string> command;    // argv of the run; [0] the absolute path of fleetk8s
  std::string working_directory;       // absolute: where relative outputs (the kubeconfig) land
  std::string state_home;              // absolute: XDG_STATE_HOME of the run (run folders under it)
  std::string home;                    // absolute: HOME of the run (~/.ssh); empty: the manager's
  std::string run_as;                  // system units: User=; empty for user units
  bool user_unit = false;              // for `systemd --user` (no network-online.target, no StateDirectory)
  std::chrono::seconds timeout{7200};  // TimeoutStartSec: a hung run is stopped (SIGTERM) after this
  // `fleetk8s watch`: Type=simple, Restart=on-failure, SIGHUP for reload,
  // no timer (`every` is the watch's own --every, for the comment).
  bool watch = false;
};

struct UnitFiles {
  std::string service_name;  // "fleetk8s-NAME.service"
  std::string service;       // its text
  std::string timer_name;    // "fleetk8s-NAME.timer" ("" for a watch: no timer)
  std::string timer;         // its text
};

// The two units. Errors (kInvalidInput) for a bad name, an empty or
// relative command/directory, and arguments with control characters
// (newlines cannot be written into a unit line).
Result<UnitFiles> render_units(const UnitSpec& spec);

// NAME must be 1..200 characters of [A-Za-z0-9_.:-], not starting with '.'
// or '-' (systemd's unit name characters without '@' and '\\', which mean
// templates and escapes). Error: "--name my app: a schedule name may only
// contain letters, digits and _.:- (try my-app)".
Result<void> check_name(std::string_view name);

// A valid NAME made from an inventory path: its file name without the
// extension, other characters turned into '-' ("/etc/k8s/prod east.ini" ->
// "prod-east"); "fleet" when nothing is left.
std::string default_name(std::string_view inventory_path);

// One ExecStart= argument as systemd reads it back: '%' doubled (specifier),
// '$' doubled (variable expansion), and double-quoted with '\\' and '"'
// escaped when it has anything but [A-Za-z0-9_@+=:,./-].
// REQUIRES: no control characters.
std::string exec_quote(std::string_view arg);

// An argument as a POSIX shell reads it back (for comments and messages).
std::string shell_quote(std::string_view arg);

// True when `unit_text` starts with kMarker.
bool written_by_fleetk8s(std::string_view unit_text);

// What an installed pair says about itself (the marker block's comments).
struct Installed {
  std::string every;    // "30min", "hourly"
  std::string command;  // the run, shell-quoted
  std::string summary;  // the last run's summary.json path
  bool watch = false;   // a long-running `fleetk8s watch` service, no timer
};
Installed read_installed(std::string_view service_text);

// The last run's summary of a run under `state_home`
// (<state_home>/fleetk8s/runs/last/summary.json).
std::string last_summary_path(const std::string& state_home);

}  // namespace fleetk8s::schedule
