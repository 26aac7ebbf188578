// `fleetk8s schedule install|remove|status`: scheduled drift correction
// with a systemd timer. The units themselves are pure text
// (fleetk8s/schedule/units.h); this file finds the directories, checks the
// input, writes and deletes the files and tells systemd (systemctl.h).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "cluster_input.h"
#include "connection_flags.h"
#include "extra_vars.h"
#include "install_paths.h"
#include "systemctl.h"
#include "fleetk8s/core/duration.h"
#include "fleetk8s/core/file.h"
#include "fleetk8s/cluster/watch_flags.h"
#include "fleetk8s/http/metrics_server.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/inventory/pattern.h"
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/schedule/every.h"
#include "fleetk8s/schedule/last_run.h"
#include "fleetk8s/schedule/scheduled_run.h"
#include "fleetk8s/schedule/units.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::cli {

namespace {

namespace fs = std::filesystem;

// Exit status of `schedule` (the footers say the same).
constexpr int kOk = 0;
constexpr int kBadInput = 1;    // nothing was written or removed
constexpr int kNotEnabled = 3;  // units written or removed, systemd not told: what to run is printed

// Where the units go and which manager reads them.
struct Place {
  bool user = false;     // --user
  std::string unit_dir;  // --unit-dir, else the manager's own directory
};

// The options of up/check that `install` passes on to the run, in the
// order the run gets them. One table for registering and passing on.
struct PassThrough {
  enum Kind { kValue, kPath, kFlag };
  const char* install_names;  // on `schedule install`
  const char* run_name;       // on the run's command line
  Kind kind;
  const char* help;
};
constexpr PassThrough kPassThrough[] = {
    {"-l,--limit", "--limit", PassThrough::kValue, "Passed to the run"},
    {"-f,--forks", "--forks", PassThrough::kValue, "Passed to the run"},
    {"-u,--remote-user", "--user", PassThrough::kValue, "Passed to the run as -u (SSH user)"},
    {"--private-key", "--private-key", PassThrough::kPath, "Passed to the run"},
    {"--connection-password-file", "--connection-password-file", PassThrough::kPath, "Passed to the run"},
    {"--known-hosts", "--known-hosts", PassThrough::kPath, "Passed to the run"},
    {"--host-key-checking", "--host-key-checking", PassThrough::kValue, "Passed to the run"},
    {"--connect-timeout", "--connect-timeout", PassThrough::kValue, "Passed to the run"},
    {"--connect-parallel", "--connect-parallel", PassThrough::kValue, "Passed to the run"},
    {"--connect-retries", "--connect-retries", PassThrough::kValue, "Passed to the run"},
    {"-F,--ssh-config", "--ssh-config", PassThrough::kPath, "Passed to the run"},
    {"-J,--jump", "--jump", PassThrough::kValue, "Passed to the run"},
    {"-b,--become", "--become", PassThrough::kFlag, "Passed to the run"},
    {"--become-user", "--become-user", PassThrough::kValue, "Passed to the run"},
    {"--become-password-file", "--become-password-file", PassThrough::kPath, "Passed to the run"},
    {"--playbook-dir", "--playbook-dir", PassThrough::kPath, "Passed to the run"},
    {"--skip-preflight", "--skip-preflight", PassThrough::kFlag, "Passed to the run (up)"},
    {"--kubeconfig-out", "--kubeconfig-out", PassThrough::kPath, "Passed to the run (up)"},
    {"--keep-runs", "--keep-runs", PassThrough::kValue, "Passed to the run: run folders kept"},
};

struct InstallArgs {
  Place place;
  std::string inventory, every, name, wait_lock = "10m", timeout, run_as;  // timeout "": 2h, a watch 10m
  std::string backup_every, backup_out;  // --backup-every, --backup-out: a schedule of `fleetk8s backup`
  int keep_backups = 10;
  bool check_only = false, no_enable = false, ask_pass = false, ask_become_pass = false;
  bool watch = false, fix = false;   // --watch: a `fleetk8s watch` service; --fix passed to it
  int max_fix = 0;                   // --max-fix (0: not given)
  std::string metrics;               // --metrics
  std::string metrics_config;        // --metrics-config
  std::string full_check_every;      // --full-check-every ("": not given)
  std::vector<std::string> extra_vars;
  std::map<std::string, std::string> values;  // kPassThrough's values and paths, by run_name
  std::map<std::string, bool> flags;          // kPassThrough's flags, by run_name
  int verbosity = 0;

  // --watch's cycle as given, else the watch's default (30s).
  std::string watch_every() const { return every.empty() ? cluster::kDefaultWatchEveryText : every; }

  // A pass-through value ("" when not given).
  std::string value(const std::string& run_name) const {
    auto it = values.find(run_name);
    return it == values.end() ? "" : it->second;
  }
  bool flag(const std::string& run_name) const {
    auto it = flags.find(run_name);
    return it != flags.end() && it->second;
  }
};

struct NameArgs {
  Place place;
  std::string name;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "fleetk8s schedule: %s\n", message.c_str());
  return kBadInput;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string home_dir() {
  if (const char* h = std::getenv("HOME"); h && *h) return h;
  const passwd* pw = ::getpwuid(::geteuid());
  return pw ? pw->pw_dir : "/";
}

std::string unit_dir(const Place& p) {
  if (!p.unit_dir.empty()) return schedule::absolute_path(p.unit_dir, fs::current_path().string());
  if (p.user) return env_or("XDG_CONFIG_HOME", home_dir() + "/.config") + "/systemd/user";
  return "/etc/systemd/system";
}

// systemd only finds units in its own directories: units written elsewhere
// (--unit-dir) are linked by path when enabled.
bool custom_dir(const Place& p) { return !p.unit_dir.empty(); }

std::string this_binary() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

bool readable_by_others(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0;
}

Result<void> write_unit(const std::string& path, const std::string& text) {
  const std::string tmp =
      (fs::path(path).parent_path() / ("." + fs::path(path).filename().string() + ".tmp")).string();
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Error(ErrorKind::kIo, tmp + ": cannot write");
  }
  ::chmod(tmp.c_str(), 0644);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Error(ErrorKind::kIo, path + ": cannot write: " + ec.message());
  return {};
}

// Units of `name` in `dir` that exist but are not fleetk8s': an error naming them.
Result<void> check_ours(const std::string& dir, const std::string& name, const char* doing) {
  for (const char* ext : {".service", ".timer"}) {
    const std::string path = dir + "/fleetk8s-" + name + ext;
    if (!fs::exists(path)) continue;
    auto text = read_file(path);
    if (!text) return text.error();
    if (!schedule::written_by_fleetk8s(*text))
      return Error(ErrorKind::kInvalidInput, path + " was not written by fleetk8s schedule (no \"" +
                                                 std::string(schedule::kMarker) + "\" first line): not " + doing +
                                                 " it");
  }
  return {};
}

// Names of the fleetk8s schedules in `dir`, sorted.
std::vector<std::string> installed_names(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("fleetk8s-", 0) != 0 || entry.path().extension() != ".service") continue;
    auto text = read_file(entry.path().string());  // (every schedule has a service; a watch no timer)
    if (text && schedule::written_by_fleetk8s(*text))
      names.push_back(file.substr(9, file.size() - 9 - 8));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// --name, or the only schedule there is.
Result<std::string> pick_name(const NameArgs& a) {
  if (!a.name.empty()) {
    if (auto ok = schedule::check_name(a.name); !ok) return ok.error();
    return a.name;
  }
  const std::string dir = unit_dir(a.place);
  auto names = installed_names(dir);
  if (names.size() == 1) return names.front();
  if (names.empty()) return Error(ErrorKind::kNotFound, "no fleetk8s schedule in " + dir);
  std::string list;
  for (const auto& n : names) list += " " + n;
  return Error(ErrorKind::kInvalidInput, "several schedules in " + dir + ", say which with --name:" + list);
}

// The -e items with the names each sets; also checks that they parse.
Result<std::vector<schedule::ExtraVarsItem>> extra_vars_items(const std::vector<std::string>& items) {
  std::vector<schedule::ExtraVarsItem> out;
  for (const auto& item : items) {
    auto vars = parse_extra_vars({item});
    if (!vars) return vars.error();
    schedule::ExtraVarsItem e{item, {}};
    for (const auto& [k, v] : *vars) e.names.push_back(k);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<schedule::PassOption> pass_options(const InstallArgs& a) {
  std::vector<schedule::PassOption> o;
  for (const auto& p : kPassThrough) {
    if (p.kind == PassThrough::kFlag) {
      if (a.flag(p.run_name)) o.push_back({p.run_name, "", false, false});
    } else if (auto v = a.value(p.run_name); !v.empty()) {
      o.push_back({p.run_name, v, true, p.kind == PassThrough::kPath});
    }
  }
  for (int i = 0; i < a.verbosity; ++i) o.push_back({"-v", "", false, false});
  return o;
}

// What is wrong with the input, before anything is written.
Result<void> check_install_input(const InstallArgs& a) {
  if (a.ask_pass || a.ask_become_pass)
    return Error(ErrorKind::kInvalidInput,
                 std::string(a.ask_pass ? "--ask-pass" : "--ask-become-pass") +
                     ": a scheduled run has nobody to ask: put the password in a file only you can read and use " +
                     (a.ask_pass ? "--connection-password-file FILE" : "--become-password-file FILE"));
  if (a.watch && (!a.backup_every.empty() || a.check_only))
    return Error(ErrorKind::kInvalidInput, std::string(a.check_only ? "--check-only" : "--backup-every") +
                                               " and --watch: a watch checks on its own (one schedule per install)");
  if (!a.watch && (a.fix || a.max_fix != 0 || !a.metrics.empty() || !a.metrics_config.empty() ||
                   !a.full_check_every.empty()))
    return Error(ErrorKind::kInvalidInput, std::string(a.fix                        ? "--fix"
                                                       : a.max_fix != 0             ? "--max-fix"
                                                       : !a.metrics.empty()         ? "--metrics"
                                                       : !a.metrics_config.empty()  ? "--metrics-config"
                                                                                    : "--full-check-every") +
                                               " is for --watch");
  if (a.watch && (a.flag("--skip-preflight") || !a.value("--kubeconfig-out").empty()))
    return Error(ErrorKind::kInvalidInput, std::string(a.flag("--skip-preflight") ? "--skip-preflight" : "--kubeconfig-out") +
                                               " is for `up`, not for --watch");
  if (a.watch) {
    const std::string every_text = a.watch_every();
    auto every = cluster::parse_watch_every(every_text);
    if (!every) return every.error();
    if (!a.full_check_every.empty())
      if (auto full = cluster::parse_full_check_every(a.full_check_every, *every, every_text);
          !full)
        return full.error();
  } else if (a.every.empty() == a.backup_every.empty())
    return Error(ErrorKind::kInvalidInput,
                 a.every.empty() ? "expected --every (up or check) or --backup-every (etcd snapshots)"
                                 : "--every and --backup-every: one schedule per install (run install twice: one "
                                   "for up, one for backups)");
  if (!a.backup_every.empty() && a.check_only)
    return Error(ErrorKind::kInvalidInput, "--check-only is for up's schedule, not --backup-every's");
  if ((a.check_only || !a.backup_every.empty()) && (a.flag("--skip-preflight") || !a.value("--kubeconfig-out").empty()))
    return Error(ErrorKind::kInvalidInput,
                 std::string(a.flag("--skip-preflight") ? "--skip-preflight" : "--kubeconfig-out") +
                     " is for `up`, not for " + (a.check_only ? "--check-only" : "backup") + " runs");
  if (a.backup_every.empty() && (!a.backup_out.empty() || a.keep_backups != 10))
    return Error(ErrorKind::kInvalidInput, std::string(a.backup_out.empty() ? "--keep-backups" : "--backup-out") +
                                               " is for --backup-every schedules");
  for (const char* option : {"--connection-password-file", "--become-password-file", "--private-key", "--ssh-config"}) {
    const std::string file = a.value(option);
    if (file.empty()) continue;
    if (::access(file.c_str(), R_OK) != 0) return Error(ErrorKind::kNotFound, file + ": cannot read it");
    if (std::string(option).find("password") != std::string::npos && readable_by_others(file))
      std::fprintf(stderr, "fleetk8s schedule: warning: %s can be read by others: chmod 600 %s\n", file.c_str(),
                   file.c_str());
  }
  auto inv = inventory::Inventory::load(a.inventory);
  if (!inv) return inv.error();
  auto roles = orchestrator::cluster_roles(*inv);
  if (!roles) return roles.error().context(a.inventory);
  // The timer's run would stop on these with exit 1: say so now.
  auto books = playbook_dir(a.value("--playbook-dir"));
  if (!books) return books.error();
  if (auto settings = checked_settings(*books, *inv, *roles, a.extra_vars); !settings) return settings.error();
  if (!a.metrics.empty())  // its form (whether it is free is the service's to find)
    if (auto ok = http::check_listen_address(a.metrics); !ok) return ok.error();
  if (!a.metrics_config.empty()) {
    if (a.metrics.empty())
      return Error(ErrorKind::kInvalidInput, "--metrics-config " + a.metrics_config + ": it is for --metrics, not given");
    if (auto web = http::load_web_config(a.metrics_config); !web) return web.error();
  }
  if (const std::string limit = a.value("--limit"); !limit.empty())
    if (auto l = inventory::select_limit(*inv, limit); !l) return l.error().context("--limit " + limit);
  for (const auto* d : {&a.wait_lock, &a.timeout})
    if (auto ok = parse_duration(d->empty() ? "1s" : *d); !ok) return ok.error().context(d == &a.wait_lock ? "--wait-lock" : "--timeout");
  return {};
}

// systemd-analyze judges calendar expressions where it is installed.
Result<void> check_calendar(const schedule::Every& every) {
  if (every.kind != schedule::Every::Kind::kCalendar) return {};
  auto out = run_program({"systemd-analyze", "calendar", every.calendar});
  if (out.status == 0 || out.status == 127) return {};
  std::string why = out.text.substr(0, out.text.find('\n'));
  return Error(ErrorKind::kInvalidInput, "--every " + every.calendar + ": not a calendar expression systemd accepts (" +
                                             why + ")");
}

// Tells systemd (daemon-reload, then `commands`), or says what to run by hand.
int tell_systemd(const Place& place, bool wanted, const std::vector<std::vector<std::string>>& commands) {
  Systemctl systemctl(place.user);
  std::vector<std::vector<std::string>> all = {{"daemon-reload"}};
  if (custom_dir(place)) all.clear();  // nothing to reload: systemd does not look there
  all.insert(all.end(), commands.begin(), commands.end());
  auto by_hand = [&](const std::string& why) {
    std::fprintf(stderr, "fleetk8s schedule: %s; to do it by hand:\n", why.c_str());
    for (const auto& c : all) std::fprintf(stderr, "  %s\n", systemctl.shown(c).c_str());
  };
  if (!wanted) {
    by_hand("not telling systemd (--no-enable)");
    return kOk;
  }
  if (!systemctl.running()) {
    by_hand(systemctl.why_not());
    return kNotEnabled;
  }
  for (const auto& c : all) {
    auto out = systemctl.run(c);
    if (out.status != 0) {
      std::fprintf(stderr, "fleetk8s schedule: `%s` failed (exit %d): %s", systemctl.shown(c).c_str(), out.status,
                   out.text.c_str());
      return kNotEnabled;
    }
    std::printf("ran: %s\n", systemctl.shown(c).c_str());
  }
  return kOk;
}

int install(const InstallArgs& a) {
  if (auto ok = check_install_input(a); !ok) return fail(ok.error().message());
  const bool backup = !a.backup_every.empty();
  Result<schedule::Every> every = schedule::Every();
  if (a.watch) {  // the watch's own cycle, not a timer's
    every->interval = *cluster::parse_watch_every(a.watch_every());  // checked by check_install_input
  } else {
    every = schedule::parse_every(backup ? a.backup_every : a.every);
  }
  if (!every) return fail((backup ? "--backup-every: " : "") + every.error().message());
  if (auto ok = check_calendar(*every); !ok) return fail(ok.error().message());
  auto items = extra_vars_items(a.extra_vars);
  if (!items) return fail(items.error().message());
  const std::string cwd = fs::current_path().string();

  schedule::RunRequest request;
  request.fleetk8s = this_binary();
  request.inventory = a.inventory;
  request.check_only = a.check_only;
  request.backup = backup;
  request.watch = a.watch;
  request.extra_vars = std::move(*items);
  request.options = pass_options(a);
  if (a.watch) {
    request.options.push_back({"--every", every->text(), true, false});
    if (a.fix) request.options.push_back({"--fix", "", false, false});
    if (a.max_fix != 0) request.options.push_back({"--max-fix", std::to_string(a.max_fix), true, false});
    if (!a.metrics.empty()) request.options.push_back({"--metrics", a.metrics, true, false});
    if (!a.metrics_config.empty()) request.options.push_back({"--metrics-config", a.metrics_config, true, true});
    if (!a.full_check_every.empty()) request.options.push_back({"--full-check-every", a.full_check_every, true, false});
  }
  if (backup) {
    if (!a.backup_out.empty()) request.options.push_back({"--out", a.backup_out, true, true});
    request.options.push_back({"--keep", std::to_string(a.keep_backups), true, false});
  }
  request.wait_lock = a.wait_lock;
  request.cwd = cwd;
  auto command = schedule::scheduled_command(request);
  if (!command) return fail(command.error().message());

  schedule::UnitSpec spec;
  spec.name = !a.name.empty() ? a.name
                              : schedule::default_name(a.inventory) + (backup ? "-backup" : a.watch ? "-watch" : "");
  spec.watch = a.watch;
  spec.every = *every;
  spec.command = std::move(*command);
  spec.working_directory = cwd;
  spec.user_unit = a.place.user;
  spec.timeout = *parse_duration(!a.timeout.empty() ? a.timeout : a.watch ? "10m" : "2h");
  if (a.place.user) {
    spec.state_home = env_or("XDG_STATE_HOME", home_dir() + "/.local/state");
  } else {
    spec.state_home = "/var/lib";
    const passwd* pw = a.run_as.empty() ? ::getpwuid(::geteuid()) : ::getpwnam(a.run_as.c_str());
    if (!pw) return fail("--run-as " + a.run_as + ": no such user on this machine");
    spec.run_as = pw->pw_name;
    spec.home = pw->pw_dir;
  }
  auto units = schedule::render_units(spec);
  if (!units) return fail(units.error().message());

  const std::string dir = unit_dir(a.place);
  if (!a.place.user && !custom_dir(a.place) && ::geteuid() != 0)
    return fail("writing " + dir + " needs root: run it with sudo, or use --user for a schedule of your own");
  if (auto ok = check_ours(dir, spec.name, "overwriting"); !ok)
    return fail(ok.error().message() + " (choose another --name)");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(dir + ": cannot create it: " + ec.message());
  const std::string service = dir + "/" + units->service_name, timer = dir + "/" + units->timer_name;
  const bool existed = fs::exists(service);
  for (auto [path, text] : {std::pair{&service, &units->service}, std::pair{&timer, &units->timer}}) {
    if (units->timer_name.empty() && path == &timer) continue;  // a watch has no timer
    if (auto ok = write_unit(*path, *text); !ok) return fail(ok.error().message());
    std::printf("%s %s\n", existed ? "updated" : "wrote", path->c_str());
  }
  const auto installed = schedule::read_installed(units->service);
  std::printf("runs: %s\nevery: %s\nlast run summary: %s\n", installed.command.c_str(), installed.every.c_str(),
              installed.summary.c_str());
  if (!a.place.user && std::getenv("SUDO_USER") && a.run_as.empty())
    std::fprintf(stderr, "fleetk8s schedule: note: the run is root's (its ~/.ssh); --run-as %s runs it as %s\n",
                 std::getenv("SUDO_USER"), std::getenv("SUDO_USER"));
  if (a.place.user)
    std::fprintf(stderr, "fleetk8s schedule: note: user timers run while you are logged in; `loginctl enable-linger` "
                         "keeps them running\n");

  std::vector<std::vector<std::string>> enable;
  if (a.watch) {  // started now, and at boot; `restart` picks up a rewritten unit
    if (custom_dir(a.place)) enable.push_back({"link", service});
    enable.push_back({"enable", custom_dir(a.place) ? service : units->service_name});
    enable.push_back({"restart", units->service_name});
    return tell_systemd(a.place, !a.no_enable, enable);
  }
  if (custom_dir(a.place)) enable.push_back({"link", service});
  enable.push_back({"enable", "--now", custom_dir(a.place) ? timer : units->timer_name});
  return tell_systemd(a.place, !a.no_enable, enable);
}

int remove_schedule(const NameArgs& a) {
  auto name = pick_name(a);
  if (!name) return fail(name.error().message());
  const std::string dir = unit_dir(a.place);
  if (auto ok = check_ours(dir, *name, "removing"); !ok) return fail(ok.error().message());
  const std::string timer_name = "fleetk8s-" + *name + ".timer";
  const std::string service_name = "fleetk8s-" + *name + ".service";
  if (!fs::exists(dir + "/" + timer_name) && !fs::exists(dir + "/" + service_name))
    return fail("no schedule " + *name + " in " + dir);

  // The timer is stopped before its files go; a run in progress finishes.
  // A watch's service is stopped itself (SIGTERM: its running tasks finish).
  auto service_text = read_file(dir + "/" + service_name);
  const bool watch = service_text && schedule::read_installed(*service_text).watch;
  const std::vector<std::string> disable = {"disable", "--now", watch ? service_name : timer_name};
  Systemctl systemctl(a.place.user);
  int code = kOk;
  if (systemctl.running()) {
    auto out = systemctl.run(disable);
    if (out.status == 0) std::printf("ran: %s\n", systemctl.shown(disable).c_str());
    else
      std::fprintf(stderr, "fleetk8s schedule: warning: `%s` failed: %s", systemctl.shown(disable).c_str(),
                   out.text.c_str());
  }
  for (const auto& unit : {service_name, timer_name}) {
    std::error_code ec;
    if (!fs::exists(dir + "/" + unit)) continue;
    if (fs::remove(dir + "/" + unit, ec)) std::printf("removed %s/%s\n", dir.c_str(), unit.c_str());
    if (ec) code = fail(dir + "/" + unit + ": cannot remove it: " + ec.message());
  }
  if (code != kOk) return code;
  if (custom_dir(a.place)) return kOk;
  return tell_systemd(a.place, true, {});
}

// `systemctl show UNIT -p KEY...` as a map; empty when systemctl fails.
std::map<std::string, std::string> show(const Systemctl& systemctl, const std::string& unit,
                                        const std::vector<std::string>& keys) {
  std::vector<std::string> args = {"show", unit};
  for (const auto& k : keys) args.insert(args.end(), {"-p", k});
  auto out = systemctl.run(args);
  std::map<std::string, std::string> values;
  if (out.status != 0) return values;
  size_t pos = 0;
  while (pos < out.text.size()) {
    size_t end = out.text.find('\n', pos);
    if (end == std::string::npos) end = out.text.size();
    const std::string line = out.text.substr(pos, end - pos);
    if (auto eq = line.find('='); eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
    pos = end + 1;
  }
  return values;
}

// "active (enabled), next run Thu 2026-11-26 05:00:12 UTC, last Thu 2026-11-26 04:30:12 UTC".
void print_systemd_state(const Systemctl& systemctl, const std::string& name, bool watch) {
  auto timer = show(systemctl, "fleetk8s-" + name + ".timer",
                    {"ActiveState", "UnitFileState", "NextElapseUSecRealtime", "LastTriggerUSec"});
  auto service = show(systemctl, "fleetk8s-" + name + ".service", {"ActiveState", "Result", "ExecMainStatus"});
  auto get = [](std::map<std::string, std::string>& m, const char* key) {
    return m[key].empty() ? std::string("n/a") : m[key];
  };
  if (!watch)
    std::printf("  timer:      %s (%s), next run %s, last %s\n", get(timer, "ActiveState").c_str(),
                get(timer, "UnitFileState").c_str(), get(timer, "NextElapseUSecRealtime").c_str(),
                get(timer, "LastTriggerUSec").c_str());
  std::printf("  service:    %s, result %s (exit status %s)\n", get(service, "ActiveState").c_str(),
              get(service, "Result").c_str(), get(service, "ExecMainStatus").c_str());
}

// The last run, from the run folder; "" lines when there is none yet.
void print_last_run(const std::string& summary_path) {
  std::string path = summary_path;
  if (!fs::exists(path)) path = (fs::path(summary_path).parent_path().parent_path() / "last-summary.json").string();
  if (!fs::exists(path)) {
    std::printf("  last run:   none recorded yet (%s)\n", summary_path.c_str());
    return;
  }
  auto doc = yaml::load_file(path);
  if (!doc) {
    std::printf("  last run:   %s\n", doc.error().message().c_str());
    return;
  }
  auto lines = schedule::describe_last_run(yaml::to_value(*doc));
  for (size_t i = 0; i < lines.size(); ++i)
    std::printf("  %s%s\n", i == 0 ? "last run:   " : "            ", lines[i].c_str());
  std::printf("              (%s)\n", path.c_str());
}

int show_status(const NameArgs& a) {
  const std::string dir = unit_dir(a.place);
  std::vector<std::string> names;
  if (!a.name.empty()) {
    if (auto ok = schedule::check_name(a.name); !ok) return fail(ok.error().message());
    names.push_back(a.name);
  } else {
    names = installed_names(dir);
  }
  if (names.empty()) return fail("no fleetk8s schedule in " + dir);
  Systemctl systemctl(a.place.user);
  for (const auto& name : names) {
    const std::string service = dir + "/fleetk8s-" + name + ".service";
    auto text = read_file(service);
    if (!text) return fail("no schedule " + name + " in " + dir);
    if (!schedule::written_by_fleetk8s(*text)) return fail(service + " was not written by fleetk8s schedule");
    const auto installed = schedule::read_installed(*text);
    std::printf("fleetk8s-%s.%s (%s)\n", name.c_str(), installed.watch ? "service" : "timer", dir.c_str());
    std::printf("  every:      %s%s\n  runs:       %s\n", installed.every.c_str(),
                installed.watch ? " (a watch: one long-running service)" : "", installed.command.c_str());
    if (!systemctl.running())
      std::printf("  %s      unknown: %s\n", installed.watch ? "service:" : "timer:  ", systemctl.why_not().c_str());
    else
      print_systemd_state(systemctl, name, installed.watch);
    print_last_run(installed.summary);
  }
  return kOk;
}

void add_place(CLI::App& cmd, Place& p) {
  cmd.add_flag("--user", p.user, "This user's systemd (~/.config/systemd/user) instead of the system's");
  cmd.add_option("--unit-dir", p.unit_dir, "Unit directory to use instead (nothing is enabled there by name)");
}

void add_install(CLI::App& parent, std::shared_ptr<InstallArgs> a) {
  auto* cmd = parent.add_subcommand(
      "install", "Write a systemd timer that runs `fleetk8s up` (or check, or backup) regularly, or a watch service");
  cmd->add_option("inventory", a->inventory, "Inventory file of the cluster")->required();
  cmd->add_option("--every", a->every, "How often: 30m, 1h, 2h30m, 15min, or a calendar expression (hourly, *:0/15)");
  cmd->add_option("--backup-every", a->backup_every,
                  "Instead: how often `fleetk8s backup` snapshots etcd (1d, daily, *-*-* 03:00); name NAME-backup");
  cmd->add_option("--backup-out", a->backup_out, "--backup-every: where the snapshots go (backup --out)");
  cmd->add_option("--keep-backups", a->keep_backups, "--backup-every: snapshots kept (backup --keep; default 10)")
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--check-only", a->check_only, "Run `fleetk8s check` (report drift, change nothing) instead of up");
  cmd->add_flag("--watch", a->watch,
                "Instead: a service that runs `fleetk8s watch` (--every its cycle, default 30s), restarted when it "
                "fails; name NAME-watch");
  cmd->add_flag("--fix", a->fix, "--watch: passed to the watch (correct the OS preparation that drifted)");
  cmd->add_option("--max-fix", a->max_fix, "--watch: passed to the watch (hosts fixed at once)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--metrics", a->metrics, "--watch: passed to the watch (Prometheus at ADDRESS:PORT/metrics)");
  cmd->add_option("--metrics-config", a->metrics_config,
                  "--watch: passed to the watch (TLS and basic authentication for --metrics; checked now)");
  cmd->add_option("--full-check-every", a->full_check_every,
                  "--watch: passed to the watch (a host whose fingerprint is unchanged is checked in full this often; "
                  "default " + std::string(cluster::kDefaultFullCheckEveryText) + ")");
  cmd->add_option("--name", a->name, "Schedule name: units fleetk8s-NAME.service/.timer (default: the inventory's name)");
  add_place(*cmd, a->place);
  cmd->add_flag("--no-enable", a->no_enable, "Only write the units; print the systemctl commands that start them");
  cmd->add_option("--wait-lock", a->wait_lock, "How long a run waits for another run's lock (up)")->capture_default_str();
  cmd->add_option("--timeout", a->timeout,
                  "A run still going after this is stopped (default 2h; --watch: the time it has to stop, 10m)");
  cmd->add_option("--run-as", a->run_as, "System units: the user the run runs as (default: you)");
  cmd->add_option("-e,--extra-vars", a->extra_vars, "Passed to the run; no secrets (use -e @FILE)");
  for (const auto& p : kPassThrough) {
    if (p.kind == PassThrough::kFlag) cmd->add_flag(p.install_names, a->flags[p.run_name], p.help);
    else cmd->add_option(p.install_names, a->values[p.run_name], p.help);
  }
  cmd->get_option("--forks")->check(CLI::Range(1, 10000));
  cmd->get_option("--host-key-checking")->check(CLI::IsMember({"strict", "accept-new", "off", "yes", "no"}));
  cmd->get_option("--connect-timeout")->check(connect_timeout_check());
  cmd->get_option("--connect-parallel")->check(CLI::Range(0, 10000));
  cmd->get_option("--connect-retries")->check(CLI::Range(0, 100));
  cmd->get_option("--keep-runs")->check(CLI::Range(1, 100000));
  cmd->add_flag("-v,--verbose", a->verbosity, "Passed to the run");
  cmd->add_flag("-k,--ask-pass", a->ask_pass, "Refused: a scheduled run cannot ask")->group("");
  cmd->add_flag("-K,--ask-become-pass", a->ask_become_pass, "Refused: a scheduled run cannot ask")->group("");
  cmd->footer("Exit status: 0 written (and enabled), 1 bad input (nothing written), 3 written but systemd was not\n"
              "told (not running here, or systemctl failed): the commands to run by hand are printed.");
}

}  // namespace

Runner add_schedule_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("schedule", "Run up or check regularly with a systemd timer (scheduled drift correction)");
  cmd->require_subcommand(1);
  auto install_args = std::make_shared<InstallArgs>();
  add_install(*cmd, install_args);
  auto remove_args = std::make_shared<NameArgs>();
  auto* rm = cmd->add_subcommand("remove", "Stop and delete a schedule's timer and service");
  rm->add_option("--name", remove_args->name, "Which schedule (default: the only one)");
  add_place(*rm, remove_args->place);
  rm->footer("Exit status: 0 removed, 1 no such schedule or not fleetk8s' units (nothing removed), 3 removed but\n"
             "systemd was not told.");
  auto status_args = std::make_shared<NameArgs>();
  auto* st = cmd->add_subcommand("status", "What is scheduled, the timer's next and last run, the last run's result");
  st->add_option("--name", status_args->name, "Which schedule (default: all)");
  add_place(*st, status_args->place);
  st->footer("Exit status: 0 shown, 1 no schedule found.");
  return [cmd, install_args, remove_args, status_args]() {
    if (cmd->got_subcommand("install")) return install(*install_args);
    if (cmd->got_subcommand("remove")) return remove_schedule(*remove_args);
    return show_status(*status_args);
  };
}

}  // namespace fleetk8s::cli
