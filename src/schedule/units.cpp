#include "fleetk8s/schedule/units.h"
#include "fleetk8s/core/strings.h"

#include <algorithm>
#include <cctype>

namespace fleetk8s::schedule {

namespace {

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool plain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_@+=:,./-").find(c) != std::string_view::npos;
}

// '%' is a specifier in nearly every unit setting.
std::string escape_percent(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

// Environment="KEY=VALUE": specifiers expanded, C escapes inside quotes, no $ expansion.
std::string environment_line(std::string_view key, std::string_view value) {
  std::string v;
  for (char c : escape_percent(value)) {
    if (c == '\\' || c == '"') v += '\\';
    v += c;
  }
  return "Environment=\"" + std::string(key) + "=" + v + "\"\n";
}

// "2h" -> a tenth, at most 5 minutes: runs of many timers on one
// controller do not all start in the same second.
std::chrono::seconds randomized_delay(const Every& every) {
  if (every.kind == Every::Kind::kCalendar) return std::chrono::seconds(60);
  return std::min<std::chrono::seconds>(every.interval / 10, std::chrono::seconds(300));
}

Error invalid(const std::string& message) { return Error(ErrorKind::kInvalidInput, message); }

}  // namespace

std::string exec_quote(std::string_view arg) {
  if (arg == ";") return "\\;";  // a lone ";" would separate commands
  std::string escaped;
  bool plain = !arg.empty();
  for (char c : arg) {
    if (!plain_char(c)) plain = false;
    if (c == '%' || c == '$') escaped += c;  // %% and $$
    if (c == '\\' || c == '"') escaped += '\\';
    escaped += c;
  }
  return plain ? escaped : "\"" + escaped + "\"";
}

std::string shell_quote(std::string_view arg) {
  if (!arg.empty() && std::all_of(arg.begin(), arg.end(), plain_char)) return std::string(arg);
  return fleetk8s::shell_quote(arg);
}

Result<void> check_name(std::string_view name) {
  const bool ok = !name.empty() && name.size() <= 200 && name.front() != '.' && name.front() != '-' &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '-';
                  });
  if (ok) return {};
  if (name.empty()) return invalid("--name: a schedule name may not be empty");
  if (name.size() > 200) return invalid("--name: a schedule name has at most 200 characters");
  return invalid("--name " + std::string(name) +
                 ": a schedule name may only contain letters, digits and _.:- and may not start with . or - (try " +
                 default_name(name) + ")");
}

std::string default_name(std::string_view path) {
  std::string_view base = path.substr(path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1);
  if (auto dot = base.find_last_of('.'); dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
  std::string out;
  for (char c : base) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '-';
    if (keep) out += c;
    else if (out.empty() || out.back() != '-') out += '-';
  }
  while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(out.begin());
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 200) out.resize(200);
  return out.empty() ? "fleet" : out;
}

bool written_by_fleetk8s(std::string_view text) { return text.substr(0, kMarker.size()) == kMarker; }

std::string last_summary_path(const std::string& state_home) {
  return state_home + "/fleetk8s/runs/last/summary.json";
}

Result<UnitFiles> render_units(const UnitSpec& spec) {
  if (auto ok = check_name(spec.name); !ok) return ok.error();
  if (spec.command.empty() || spec.command.front().empty() || spec.command.front().front() != '/')
    return invalid("the scheduled command must start with the absolute path of fleetk8s");
  for (const auto* dir : {&spec.working_directory, &spec.state_home})
    if (dir->empty() || dir->front() != '/') return invalid("not an absolute directory: \"" + *dir + "\"");
  if (!spec.home.empty() && spec.home.front() != '/') return invalid("not an absolute directory: \"" + spec.home + "\"");
  std::vector<std::string_view> texts(spec.command.begin(), spec.command.end());
  for (const auto* s : {&spec.working_directory, &spec.state_home, &spec.home, &spec.run_as}) texts.push_back(*s);
  for (auto t : texts)
    if (has_control_char(t))
      return invalid("cannot write a newline or other control character into a unit file: \"" + std::string(t) + "\"");

  std::string exec, shown;
  for (const auto& arg : spec.command) {
    exec += (exec.empty() ? "" : " ") + exec_quote(arg);
    shown += (shown.empty() ? "" : " ") + shell_quote(arg);
  }
  const std::string service_name = "fleetk8s-" + spec.name + ".service";
  const std::string timer_name = "fleetk8s-" + spec.name + ".timer";
  const std::string what = spec.command.size() > 2 ? spec.command[1] + " " + spec.command[2] : shown;
  const std::string header = std::string(kMarker) + " `fleetk8s schedule remove --name " + spec.name +
                             "` removes it;\n# edits are lost when `fleetk8s schedule install` writes it again.\n";

  UnitFiles files;
  files.service_name = service_name;
  files.timer_name = timer_name;
  std::string& s = files.service;
  s = header;
  s += "# Every: " + spec.every.text() + "\n";
  s += "# Runs: " + shown + "\n";
  s += "# Last run summary: " + last_summary_path(spec.state_home) + "\n";
  if (spec.watch) s += "# Kind: watch\n";
  s += "\n[Unit]\n";
  s += "Description=" + escape_percent("fleetk8s " + what) +
       (spec.watch ? " every " + escape_percent(spec.every.text()) : " (scheduled by " + timer_name + ")") + "\n";
  if (!spec.user_unit) s += "Wants=network-online.target\nAfter=network-online.target\n";
  s += "\n[Service]\n";
  s += spec.watch ? "Type=simple\n" : "Type=oneshot\n";
  s += "ExecStart=" + exec + "\n";
  s += "WorkingDirectory=" + escape_percent(spec.working_directory) + "\n";
  s += environment_line("XDG_STATE_HOME", spec.state_home);
  if (!spec.home.empty()) s += environment_line("HOME", spec.home);
  if (!spec.user_unit && !spec.run_as.empty()) s += "User=" + escape_percent(spec.run_as) + "\n";
  // /var/lib/fleetk8s made by systemd, owned by User=, who may not write /var/lib.
  // 0700: the run folders below hold what the runs saw (systemd would make it 0755).
  if (!spec.user_unit && spec.state_home == "/var/lib") s += "StateDirectory=fleetk8s\nStateDirectoryMode=0700\n";
  if (spec.watch) {
    // Up until told to stop; restarted (after a pause) when it fails, not when
    // it was stopped. SIGTERM lets the running tasks finish, within TimeoutStopSec.
    s += "Restart=on-failure\nRestartSec=10s\n";
    s += "ExecReload=/bin/kill -HUP $MAINPID\n";
    s += "TimeoutStopSec=" + format_span(spec.timeout) + "\n";
  } else {
    s += "TimeoutStartSec=" + format_span(spec.timeout) + "\n";
  }
  s += "SyslogIdentifier=fleetk8s-" + spec.name + "\n";
  if (spec.watch) {
    s += std::string("\n[Install]\nWantedBy=") + (spec.user_unit ? "default.target" : "multi-user.target") + "\n";
    files.timer_name.clear();
    return files;
  }

  std::string& t = files.timer;
  t = header;
  t += "\n[Unit]\n";
  t += "Description=" + escape_percent("fleetk8s " + what) + " every " + escape_percent(spec.every.text()) + "\n";
  t += "\n[Timer]\n";
  if (spec.every.kind == Every::Kind::kInterval) {
    // The first run 5 minutes after boot (or at once when enabled later),
    // then INTERVAL after each run started.
    t += "OnBootSec=" + format_span(std::min<std::chrono::seconds>(spec.every.interval, std::chrono::seconds(300))) +
         "\n";
    t += "OnUnitActiveSec=" + format_span(spec.every.interval) + "\n";
  } else {
    t += "OnCalendar=" + escape_percent(spec.every.calendar) + "\n";
    t += "Persistent=true\n";  // a run missed while the machine was off happens at boot
  }
  t += "RandomizedDelaySec=" + format_span(randomized_delay(spec.every)) + "\n";
  t += "Unit=" + service_name + "\n";
  t += "\n[Install]\nWantedBy=timers.target\n";
  return files;
}

Installed read_installed(std::string_view text) {
  Installed out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.front() != '#') break;  // the comment block ends at the first other line
    const std::pair<std::string_view, std::string*> fields[] = {
        {"# Every: ", &out.every}, {"# Runs: ", &out.command}, {"# Last run summary: ", &out.summary}};
    for (const auto& [prefix, field] : fields)
      if (line.substr(0, prefix.size()) == prefix) *field = std::string(line.substr(prefix.size()));
    if (line == "# Kind: watch") out.watch = true;
  }
  return out;
}

}  // namespace fleetk8s::schedule
