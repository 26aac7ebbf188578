#include "fleetk8s/report/event_buffer.h"
#include "fleetk8s/report/run_folder.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

#include "fleetk8s/report/json_report.h"
#include "fleetk8s/report/log.h"
#include "fleetk8s/report/private_file.h"
#include "fleetk8s/report/run_record.h"
#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace fs = std::filesystem;

namespace {

std::string stamp(Clock::time_point t) {
  const std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  return buf;
}

// A host name as a file name: [A-Za-z0-9._-] kept, the rest '_'.
std::string file_name(const std::string& host) {
  std::string out = host;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  if (out.empty() || out[0] == '.') out = "_" + out;
  return out;
}

std::string text_of(const Value& result, const char* key) {
  const Value* v = result.find(key);
  return v && !v->is_null() ? v->to_display() : "";
}

}  // namespace

namespace {

// fleetk8s' folder under the user's state directory, or "".
std::string state_dir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/')
    return (fs::path(state) / "fleetk8s").string();
  if (const char* home = std::getenv("HOME"); home && *home == '/')
    return (fs::path(home) / ".local" / "state" / "fleetk8s").string();
  if (::geteuid() == 0) return "/var/lib/fleetk8s";
  return "";  // never a shared directory such as /tmp
}

}  // namespace

std::string default_runs_dir() {
  const std::string state = state_dir();
  return state.empty() ? "" : state + "/runs";
}

std::string default_backups_dir(const std::string& cluster) {
  const std::string state = state_dir();
  return state.empty() ? "" : state + "/backups/" + cluster;
}

std::string trim_output(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  const size_t keep = limit / 2;
  size_t head = keep, tail = text.size() - keep;
  auto continuation = [&](size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  while (head > 0 && continuation(head)) --head;
  while (tail < text.size() && continuation(tail)) ++tail;
  return text.substr(0, head) + "\n[... " + std::to_string(tail - head) + " bytes trimmed ...]\n" + text.substr(tail);
}

Result<std::unique_ptr<RunFolder>> RunFolder::create(const std::string& runs_dir, const std::string& command,
                                                     const std::vector<std::string>& argv) {
  if (runs_dir.empty())
    return Error(ErrorKind::kInvalidInput,
                 "no place for the run folder: neither XDG_STATE_HOME nor HOME is an absolute path (use --run-dir DIR)");
  const std::string name = stamp(Clock::now()) + "-" + command + "-" + std::to_string(::getpid());
  const fs::path path = fs::path(runs_dir) / name;
  if (auto made = make_private_dirs(runs_dir); !made)
    return Error(ErrorKind::kIo, path.string() + ": cannot create the run folder: " + made.error().message());
  for (const fs::path& dir : {path, path / "hosts"})
    if (::mkdir(dir.c_str(), 0700) != 0)
      return Error(ErrorKind::kIo, dir.string() + ": cannot create the run folder: " + std::strerror(errno));
  std::unique_ptr<RunFolder> folder(new RunFolder(runs_dir, path.string()));
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
  if (auto w = write_private_file((path / "command.txt").string(), mask_secrets(line) + "\n"); !w) return w.error();
  folder->events_ = open_private_append((path / "events.jsonl").string());
  if (!folder->events_)
    return Error(ErrorKind::kIo, (path / "events.jsonl").string() + ": cannot write: " + std::strerror(errno));
  return folder;
}

RunFolder::~RunFolder() {
  if (events_) std::fclose(events_);
  for (auto& [host, f] : host_logs_)
    if (f) std::fclose(f);
}

void RunFolder::warn(const std::string& what) {
  if (broken_) return;
  broken_ = true;
  log_warn("run folder " + path_ + ": " + what + " (" + std::strerror(errno) + "); the run goes on without it");
}

void RunFolder::event(Value::Object fields) {
  if (broken_ || !events_) return;
  fields["time"] = iso_time(event_time());
  // Masked before encoding: JSON's escapes would hide a secret from the mask.
  const std::string line = mask_value(Value(std::move(fields))).to_json() + "\n";
  if (std::fputs(line.c_str(), events_) < 0 || std::fflush(events_) != 0) warn("cannot write events.jsonl");
}

void RunFolder::host_log(const std::string& host, const std::string& text) {
  if (broken_) return;
  auto& f = host_logs_[host];
  if (!f) {
    f = open_private_append((fs::path(path_) / "hosts" / (file_name(host) + ".log")).string());
    // Every write is flushed at once: a 4 KB stdio buffer per host (4 MB on
    // 1,000 hosts, for the whole run) would hold nothing.
    if (f) std::setvbuf(f, nullptr, _IONBF, 0);
  }
  if (!f) return warn("cannot write hosts/" + file_name(host) + ".log");
  const std::string masked = mask_secrets(text);
  if (std::fputs(masked.c_str(), f) < 0 || std::fflush(f) != 0) warn("cannot write hosts/" + file_name(host) + ".log");
}

void RunFolder::play_start(const std::string& name) {
  play_ = name;
  event({{"event", "play"}, {"name", name}});
}

void RunFolder::task_start(const std::string& kind, const std::string& name) {
  task_ = name;
  kind_ = kind;
  ++task_index_;
  event({{"event", "task"}, {"index", task_index_}, {"kind", kind}, {"name", name}, {"play", play_},
         {"phase", phase_ == 0 ? Value() : Value(phase_)}});
}

void RunFolder::task_result(const TaskResultEvent& raw) {
  const TaskResultEvent e = mask_event(raw);  // before trimming can cut a secret in two
  if (e.retries_left >= 0) {
    event({{"event", "retry"}, {"host", e.host}, {"task", task_}, {"task_index", task_index_},
           {"retries_left", e.retries_left}});
    host_log(e.host, iso_time(event_time()) + " " + kind_ + " [" + task_ + "] FAILED - RETRYING (" +
                         std::to_string(e.retries_left) + " retries left)\n");
    return;
  }
  const Clock::time_point end = e.end == Clock::time_point{} ? event_time() : e.end;
  const Clock::time_point start = e.start == Clock::time_point{} ? end : e.start;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(end - start).count();
  const std::string status = status_name(e.status, e.ignored);
  const Value* changed = e.result.find("changed");
  Value::Object ev{{"event", "result"},
                   {"host", e.host},
                   {"task", task_},
                   {"task_index", task_index_},
                   {"play", play_},
                   {"status", status},
                   {"changed", e.status == TaskStatus::kChanged || (changed && changed->is_bool() && changed->as_bool())},
                   {"start", iso_time(start)},
                   {"end", iso_time(end)},
                   {"duration_ms", static_cast<std::int64_t>(ms)},
                   {"rc", e.rc ? Value(*e.rc) : Value()}};
  if (e.is_item) ev["item"] = e.item_label;
  for (const char* key : {"msg", "stdout", "stderr"})
    if (auto text = text_of(e.result, key); !text.empty()) ev[key] = trim_output(text);
  if (e.result.find("censored")) ev["censored"] = true;
  event(std::move(ev));

  char took[32];
  std::snprintf(took, sizeof took, " %.3fs", static_cast<double>(ms) / 1000.0);
  std::string log = iso_time(end) + " " + kind_ + " [" + task_ + "]" + (e.is_item ? " (item=" + e.item_label + ")" : "") +
                    " => " + status + (e.rc ? " rc=" + std::to_string(*e.rc) : "") + took + " (started " +
                    iso_time(start) + ")\n";
  Value rest = e.result;
  if (rest.is_object())
    for (const char* key : {"stdout", "stderr", "stdout_lines", "stderr_lines"}) rest.as_object().erase(key);
  if (!rest.is_null()) log += rest.to_json(2) + "\n";
  for (const char* key : {"stdout", "stderr"}) {
    const std::string text = text_of(e.result, key);
    if (text.empty()) continue;
    log += std::string("--- ") + key + "\n" + text + (text.back() == '\n' ? "" : "\n");
  }
  if (!e.diff.empty()) log += "--- diff\n" + e.diff + (e.diff.back() == '\n' ? "" : "\n");
  host_log(e.host, log + "\n");
}

void RunFolder::message(const std::string& text) { event({{"event", "message"}, {"text", text}}); }

void RunFolder::recap(const std::vector<std::pair<std::string, HostStats>>& stats) {
  Value::Object hosts;
  for (const auto& [host, s] : stats)
    hosts[host] = Value::Object{{"ok", s.ok},         {"changed", s.changed}, {"unreachable", s.unreachable},
                                {"failed", s.failed}, {"skipped", s.skipped}, {"rescued", s.rescued},
                                {"ignored", s.ignored}, {"connect_retries", s.connect_retries}};
  event({{"event", "recap"}, {"hosts", Value(std::move(hosts))}});
}

void RunFolder::phase(int n, int total, const std::string& title) {
  phase_ = n;
  event({{"event", "phase"}, {"number", n}, {"total", total}, {"title", title}});
}

void RunFolder::milestone(const std::string& host, const std::string& what) {
  event({{"event", "milestone"}, {"host", host}, {"what", what}});
  host_log(host, iso_time(event_time()) + " -- " + what + "\n");
}

void RunFolder::finish(const std::string& summary_json, int keep) {
  if (events_) {
    std::fclose(events_);
    events_ = nullptr;
  }
  for (auto& [host, f] : host_logs_)
    if (f) std::fclose(f), f = nullptr;
  if (auto w = write_private_file((fs::path(path_) / "summary.json").string(), summary_json); !w) {
    warn(w.error().message());
    return;
  }
  const fs::path runs = runs_dir_;
  const fs::path link = runs / "last", tmp = runs / (".last.tmp." + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_directory_symlink(fs::path(path_).filename(), tmp, ec);
  if (!ec) fs::rename(tmp, link, ec);
  if (ec) log_warn(link.string() + ": cannot point it at the newest run: " + ec.message());
  if (auto w = write_private_file((runs / "last-summary.json").string(), summary_json); !w) log_warn(w.error().message());
  if (keep <= 0) return;
  // STAMP-COMMAND-PID; watch's commands carry the cycle: watch-12, watch-12-fix1.
  static const std::regex run_name(R"(\d{8}T\d{6}-[a-z][a-z0-9-]*-\d+)");
  std::vector<fs::path> old;
  for (const auto& entry : fs::directory_iterator(runs, ec))
    if (entry.is_directory(ec) && !entry.is_symlink(ec) && std::regex_match(entry.path().filename().string(), run_name))
      old.push_back(entry.path());
  std::sort(old.begin(), old.end());
  const std::string mine = fs::path(path_).filename().string();
  for (size_t i = 0; i + static_cast<size_t>(keep) < old.size(); ++i) {
    if (old[i].filename() == mine) continue;
    fs::remove_all(old[i], ec);
    // Another run finishing at the same time may have removed it already.
    std::error_code gone;
    if (ec && fs::exists(old[i], gone)) log_warn(old[i].string() + ": cannot remove an old run folder: " + ec.message());
  }
}

}  // namespace fleetk8s::report
