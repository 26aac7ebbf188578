#include "fleetk8s/report/playbook_report.h"

#include <algorithm>
#include <cstdio>

#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace {

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string command_detail(const TaskResultEvent& e);

std::string count(const char* name, int n) { return pad(std::string(name) + "=" + std::to_string(n), std::string(name).size() + 5); }

class TextReporter final : public PlaybookReporter {
 public:
  TextReporter(std::FILE* out, int verbosity) : out_(out), verbosity_(verbosity) {}

  void play_start(const std::string& name) override { write("\n" + banner("PLAY [" + name + "]") + "\n"); }

  void task_start(const std::string& kind, const std::string& name) override {
    write("\n" + banner(kind + " [" + name + "]") + "\n");
  }

  void task_result(const TaskResultEvent& event) override {
    const TaskResultEvent e = mask_event(event);  // before result_json() escapes a secret past the mask
    std::string line;
    if (!e.diff.empty()) line += e.diff + (e.diff.back() == '\n' ? "" : "\n");
    const std::string host = "[" + e.host + "]";
    const std::string item = e.is_item ? " => (item=" + e.item_label + ")" : "";
    const bool data = e.always_show || verbosity_ >= 1;
    const std::string json = e.result.is_null() ? "{}" : result_json(e.result, e.always_show || verbosity_ >= 3);
    switch (e.status) {
      case TaskStatus::kOk:
      case TaskStatus::kChanged: {
        line += std::string(e.status == TaskStatus::kOk ? "ok: " : "changed: ") + host + item;
        if (data) line += " => " + json;
        break;
      }
      case TaskStatus::kSkipped:
        line += "skipping: " + host + item;
        if (verbosity_ >= 1) line += " => " + json;
        break;
      case TaskStatus::kFailed:
        if (e.retries_left >= 0) {
          line += "FAILED - RETRYING: " + host + " (" + std::to_string(e.retries_left) + " retries left).";
          break;
        }
        line += (e.is_item ? "failed: " + host + item : "fatal: " + host + ": FAILED!") + " => " + json;
        if (e.ignored) line += "\n...ignoring";
        break;
      case TaskStatus::kUnreachable:
        line += "fatal: " + host + ": UNREACHABLE! => " + json;
        break;
    }
    if (verbosity_ >= 2 && e.retries_left < 0) line += "\n" + command_detail(e);
    write(line + "\n");
  }

  void message(const std::string& text) override { write(text + "\n"); }

  void recap(const std::vector<std::pair<std::string, HostStats>>& stats) override {
    std::string out = "\n" + banner("PLAY RECAP") + "\n";
    std::vector<std::pair<std::string, int>> retries;
    for (const auto& [host, s] : stats) {
      out += format_recap_line(host, s) + "\n";
      retries.emplace_back(host, s.connect_retries);
    }
    if (const std::string line = format_connect_retries(retries); !line.empty()) out += line + "\n";
    write(out + "\n");
  }

 private:
  void write(const std::string& s) {
    std::fputs(mask_secrets(s).c_str(), out_);
    std::fflush(out_);
  }

  std::FILE* out_;
  int verbosity_;
};

// -vv: "  [host] rc=0 0.42s" (": <cmd>" when the result names it), then the output lines, "|" for stdout
// and "!" for stderr as `fleetk8s exec` prints them.
std::string command_detail(const TaskResultEvent& e) {
  std::string out = "  [" + e.host + "]";
  if (e.rc) out += " rc=" + std::to_string(*e.rc);
  if (e.start.time_since_epoch().count() != 0 && e.end >= e.start) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " %.2fs", std::chrono::duration<double>(e.end - e.start).count());
    out += buf;
  }
  const Value* cmd = e.result.find("cmd");
  if (cmd && !cmd->is_null()) out += ": " + (cmd->is_array() ? result_json(*cmd, false) : cmd->to_display());
  for (const auto& [key, mark] : {std::pair{"stdout", " | "}, std::pair{"stderr", " ! "}}) {
    const Value* text = e.result.find(key);
    if (!text || !text->is_string() || text->as_string().empty()) continue;
    const std::string& s = text->as_string();
    for (size_t at = 0; at < s.size();) {
      const size_t nl = std::min(s.find('\n', at), s.size());
      out += "\n  " + e.host + mark + s.substr(at, nl - at);
      at = nl + 1;
    }
  }
  return out;
}

class ChangeRecorder final : public PlaybookReporter {
 public:
  ChangeRecorder(PlaybookReporter& inner, std::vector<std::pair<std::string, std::string>>& changes)
      : inner_(inner), changes_(changes) {}
  void play_start(const std::string& name) override { inner_.play_start(name); }
  void task_start(const std::string& kind, const std::string& name) override {
    task_ = name;
    inner_.task_start(kind, name);
  }
  void task_result(const TaskResultEvent& e) override {
    if (e.status == TaskStatus::kChanged) {
      std::pair<std::string, std::string> c{e.host, task_};
      if (changes_.empty() || changes_.back() != c) changes_.push_back(c);
    }
    inner_.task_result(e);
  }
  void message(const std::string& text) override { inner_.message(text); }
  void recap(const std::vector<std::pair<std::string, HostStats>>& stats) override { inner_.recap(stats); }
  void phase(int n, int total, const std::string& title) override { inner_.phase(n, total, title); }
  void task_hosts(const std::vector<std::string>& hosts) override { inner_.task_hosts(hosts); }
  void host_task_start(const std::string& host) override { inner_.host_task_start(host); }
  void milestone(const std::string& host, const std::string& what) override { inner_.milestone(host, what); }

 private:
  PlaybookReporter& inner_;
  std::vector<std::pair<std::string, std::string>>& changes_;
  std::string task_;
};

}  // namespace

TaskResultEvent mask_event(const TaskResultEvent& e) {
  TaskResultEvent out = e;
  out.result = mask_value(e.result);
  out.item_label = mask_secrets(e.item_label);
  out.diff = mask_secrets(e.diff);
  return out;
}

void PlaybookReporter::phase(int n, int total, const std::string& title) {
  message("\n== [" + std::to_string(n) + "/" + std::to_string(total) + "] " + title);
}

std::unique_ptr<PlaybookReporter> make_change_recorder(PlaybookReporter& inner,
                                                      std::vector<std::pair<std::string, std::string>>& changes) {
  return std::make_unique<ChangeRecorder>(inner, changes);
}

std::string banner(const std::string& text) {
  const size_t width = 80;
  const size_t stars = text.size() + 1 < width ? width - text.size() - 1 : 3;
  return text + " " + std::string(stars, '*');
}

std::string format_recap_line(const std::string& host, const HostStats& s) {
  return pad(host, 26) + " : " + count("ok", s.ok) + " " + count("changed", s.changed) + " " +
         count("unreachable", s.unreachable) + " " + count("failed", s.failed) + " " + count("skipped", s.skipped) +
         " " + count("rescued", s.rescued) + " " + count("ignored", s.ignored);
}

std::string format_connect_retries(const std::vector<std::pair<std::string, int>>& retries) {
  std::string list;
  int hosts = 0, total = 0;
  for (const auto& [host, n] : retries) {
    if (n <= 0) continue;
    list += (list.empty() ? "" : ", ") + host + " " + std::to_string(n);
    ++hosts;
    total += n;
  }
  if (hosts == 0) return "";
  return "connect retries: " + list + " (" + std::to_string(hosts) + (hosts == 1 ? " host, " : " hosts, ") +
         std::to_string(total) + (total == 1 ? " retry)" : " retries)");
}

std::string result_json(const Value& v, bool pretty) {
  if (pretty) return v.to_json(4);
  // One line with Python's json.dumps separators, as Ansible prints.
  switch (v.type()) {
    case Value::Type::kArray: {
      std::string out = "[";
      for (const auto& e : v.as_array()) out += (out.size() > 1 ? ", " : "") + result_json(e, false);
      return out + "]";
    }
    case Value::Type::kObject: {
      std::string out = "{";
      for (const auto& [k, e] : v.as_object())
        out += (out.size() > 1 ? ", " : "") + ("\"" + json_escape(k) + "\": ") + result_json(e, false);
      return out + "}";
    }
    default:
      return v.to_json();
  }
}

std::unique_ptr<PlaybookReporter> make_text_reporter(std::FILE* out, int verbosity) {
  return std::make_unique<TextReporter>(out, verbosity);
}

}  // namespace fleetk8s::report
