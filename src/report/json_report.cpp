#include "fleetk8s/report/json_report.h"

#include <ctime>

#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace {

std::int64_t millis(Clock::time_point from, Clock::time_point to) {
  if (from == Clock::time_point{} || to < from) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

Value time_or_null(Clock::time_point t) { return t == Clock::time_point{} ? Value() : Value(iso_time(t)); }
Value text_or_null(const std::string& s) { return s.empty() ? Value() : Value(mask_secrets(s)); }

Value recap_of(const HostStats& s) {
  return Value::Object{{"ok", s.ok},           {"changed", s.changed}, {"unreachable", s.unreachable},
                       {"failed", s.failed},   {"skipped", s.skipped}, {"rescued", s.rescued},
                       {"ignored", s.ignored}};
}

Value task_list(const RunRecord& r) {
  Value::Array tasks;
  for (size_t i = 0; i < r.tasks.size(); ++i) {
    const TaskRecord& t = r.tasks[i];
    Value::Object counts{{"ok", 0}, {"changed", 0}, {"failed", 0}, {"ignored", 0}, {"skipped", 0}, {"unreachable", 0}};
    for (const auto& [host, c] : t.hosts) {
      Value& n = counts[status_name(c.status, c.ignored)];
      n = n.as_int() + 1;
    }
    tasks.push_back(Value::Object{{"index", static_cast<std::int64_t>(i)},
                                  {"play", mask_secrets(t.play)},
                                  {"kind", t.kind},
                                  {"name", mask_secrets(t.name)},
                                  {"phase", t.phase == 0 ? Value() : Value(t.phase)},
                                  {"started", iso_time(t.start)},
                                  {"finished", iso_time(t.end)},
                                  {"duration_ms", millis(t.start, t.end)},
                                  {"hosts", Value(std::move(counts))}});
  }
  return Value(std::move(tasks));
}

// One host's entry of "hosts".
Value host_entry(const RunRecord& r, const std::string& name) {
  Value::Array cells;
  for (size_t i = 0; i < r.tasks.size(); ++i) {
    auto it = r.tasks[i].hosts.find(name);
    if (it == r.tasks[i].hosts.end()) continue;
    const TaskCell& c = it->second;
    cells.push_back(Value::Object{{"task", static_cast<std::int64_t>(i)},
                                  {"status", status_name(c.status, c.ignored)},
                                  {"items", c.items},
                                  {"rc", c.rc ? Value(*c.rc) : Value()},
                                  {"started", iso_time(c.start)},
                                  {"finished", iso_time(c.end)},
                                  {"duration_ms", millis(c.start, c.end)},
                                  {"msg", text_or_null(c.msg)}});
  }
  Value recap = Value();
  int connect_retries = 0;
  for (const auto& [host, s] : r.stats)
    if (host == name) recap = recap_of(s), connect_retries = s.connect_retries;
  const std::string outcome = host_outcome(r, name);
  const TaskRecord* failure = outcome == "failed" || outcome == "unreachable" ? first_failure(r, name) : nullptr;
  Value::Array timeline;
  for (const auto& m : r.milestones)
    if (m.host == name) timeline.push_back(Value::Object{{"what", m.what}, {"at", iso_time(m.at)}});
  return Value::Object{{"name", name},
                       {"outcome", outcome},
                       {"recap", recap},
                       {"connect_retries", connect_retries},
                       {"failed_task", failure ? Value(mask_secrets(failure->name)) : Value()},
                       {"message", failure ? text_or_null(failure->hosts.at(name).msg) : Value()},
                       {"tasks", Value(std::move(cells))},
                       {"timeline", Value(std::move(timeline))}};
}

// Host `i`'s entry, masked, as Value::to_json(2) writes it inside the
// top-level "hosts" array (two levels down). REQUIRES: every secret of the
// report already learned (learn_secrets), as mask_value of the whole would.
std::string host_json(const RunRecord& r, size_t i) {
  const std::string json = mask_value(host_entry(r, r.hosts[i])).to_json(2);
  std::string out = i ? ",\n    " : "\n    ";
  out.reserve(out.size() + json.size() + json.size() / 8);
  for (char c : json) {  // JSON text has no raw line breaks but the indenting ones
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

}  // namespace

std::string iso_time(Clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

std::string json_report(const RunRecord& r) {
  Value::Array argv;
  for (const auto& a : r.info.argv) argv.push_back(mask_secrets(a));
  Value::Object totals{{"hosts", static_cast<std::int64_t>(r.hosts.size())},
                       {"ok", 0}, {"changed", 0}, {"failed", 0}, {"unreachable", 0}, {"not_run", 0}};
  for (const auto& h : r.hosts) {
    std::string o = host_outcome(r, h);
    if (o == "not run") o = "not_run";
    Value& n = totals[o];
    n = n.as_int() + 1;
  }
  Value::Array phases;
  for (const auto& p : r.phases)
    phases.push_back(Value::Object{{"number", p.number}, {"total", p.total}, {"title", p.title}, {"started", iso_time(p.start)}});
  const Clock::time_point end = r.end == Clock::time_point{} ? Clock::now() : r.end;
  Value doc = Value::Object{
      {"schema_version", kReportSchemaVersion},
      {"tool", "fleetk8s"},
      {"command", r.info.command},
      {"argv", Value(std::move(argv))},
      {"inventory", r.info.inventory},
      {"playbook", text_or_null(r.info.playbook)},
      {"check_mode", r.info.check},
      {"run_dir", text_or_null(r.info.run_dir)},
      {"started", iso_time(r.start)},
      {"finished", time_or_null(r.end)},
      {"duration_ms", millis(r.start, end)},
      {"exit_code", r.exit_code < 0 ? Value() : Value(r.exit_code)},
      {"ok", r.exit_code == 0},
      {"totals", Value(std::move(totals))},
      {"phases", Value(std::move(phases))},
      {"tasks", task_list(r)},
      {"hosts", Value::Array()},  // written apart, host by host: host_array_json
  };
  // Masked before encoding, never after; every part's secrets learned before
  // any part is masked, as one mask_value of the whole would. The hosts go
  // into the text one at a time, into a string sized first: the whole array
  // as Values (a dozen per host and task), its masked copy and the text
  // growing by doubling took over 70 MB on 1,000 hosts.
  learn_secrets(doc);
  for (const auto& name : r.hosts) learn_secrets(host_entry(r, name));
  const std::string top = mask_value(doc).to_json(2);
  if (r.hosts.empty()) return top + "\n";
  const std::string empty = "\n  \"hosts\": []";  // the only top-level key by that name
  const size_t at = top.find(empty) + empty.size() - 1;  // at its ']'
  size_t size = top.size() + 5;
  for (size_t i = 0; i < r.hosts.size(); ++i) size += host_json(r, i).size();
  std::string out;
  out.reserve(size);
  out.append(top, 0, at);
  for (size_t i = 0; i < r.hosts.size(); ++i) out += host_json(r, i);
  out += "\n  ";
  out.append(top, at);
  out += '\n';  // (in place: `out + "\n"` would copy the whole text once more)
  return out;
}

}  // namespace fleetk8s::report
