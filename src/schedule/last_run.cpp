#include "fleetk8s/schedule/last_run.h"

#include <cstdio>

namespace fleetk8s::schedule {

namespace {

std::string text(const Value& object, const char* key) {
  const Value* v = object.find(key);
  return v && v->is_string() ? v->as_string() : "";
}

// "exit_code" as a string, "" when absent.
std::string integer(const Value& object, const char* key) {
  const Value* v = object.find(key);
  return v && v->is_int() ? std::to_string(v->as_int()) : "";
}

std::string seconds(const Value& object, const char* key) {
  const Value* v = object.find(key);
  if (!v || !v->is_number()) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", v->as_double() / 1000.0);
  return buf;
}

// The first line, at most 200 bytes: status is a summary, the run folder has the rest.
std::string first_line(const std::string& s) {
  std::string out = s.substr(0, s.find('\n'));
  if (out.size() > 200) {
    out.resize(197);
    out += "...";
  }
  return out;
}

}  // namespace

std::vector<std::string> describe_last_run(const Value& summary) {
  if (!summary.is_object()) return {};
  std::vector<std::string> lines;

  std::string head = text(summary, "command");
  if (head.empty()) head = "the run";
  const std::string code = integer(summary, "exit_code");
  const Value* ok = summary.find("ok");
  if (!code.empty())
    head += " exited " + code + (ok && ok->is_bool() ? (ok->as_bool() ? " (ok)" : " (failed)") : "");
  else
    head += " did not finish";
  if (auto finished = text(summary, "finished"); !finished.empty()) head += " at " + finished;
  else if (auto started = text(summary, "started"); !started.empty()) head += ", started " + started;
  if (auto took = seconds(summary, "duration_ms"); !took.empty()) head += " after " + took;
  lines.push_back(head);

  if (const Value* totals = summary.find("totals"); totals && totals->is_object()) {
    std::string counts;
    for (const char* key : {"ok", "changed", "failed", "unreachable", "not_run"}) {
      const std::string n = integer(*totals, key);
      if (n.empty()) continue;
      std::string label = key;
      if (label == "not_run") label = "not run";
      counts += (counts.empty() ? "" : ", ") + n + " " + label;
    }
    const std::string hosts = integer(*totals, "hosts");
    if (!counts.empty() || !hosts.empty())
      lines.push_back("hosts: " + (hosts.empty() ? "" : hosts + ": ") + counts);
  }

  if (const Value* hosts = summary.find("hosts"); hosts && hosts->is_array()) {
    for (const auto& h : hosts->as_array()) {
      const std::string outcome = text(h, "outcome");
      if (outcome != "failed" && outcome != "unreachable") continue;
      std::string line = text(h, "name") + " " + outcome;
      if (auto task = text(h, "failed_task"); !task.empty()) line += " in \"" + task + "\"";
      if (auto msg = text(h, "message"); !msg.empty()) line += ": " + first_line(msg);
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace fleetk8s::schedule
