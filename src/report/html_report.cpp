#include "fleetk8s/report/html_report.h"

#include <algorithm>
#include <cstdio>

#include "fleetk8s/report/json_report.h"
#include "fleetk8s/report/secrets.h"

namespace fleetk8s::report {

namespace {

double seconds(Clock::time_point from, Clock::time_point to) {
  return to > from ? std::chrono::duration<double>(to - from).count() : 0.0;
}

std::string duration_text(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.2fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

std::string percent(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f%%", std::clamp(x, 0.0, 100.0));
  return buf;
}

std::string e(const std::string& s) { return html_escape(mask_secrets(s)); }

constexpr const char* kStyle = R"(
:root{--ok:#43a047;--changed:#f2b01e;--failed:#e53935;--ignored:#fb8c00;--skipped:#b0bec5;--unreachable:#7b1fa2;--notrun:#cfd8dc}
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header,section{margin:16px 24px;padding:16px 20px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:0 0 10px}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-size:13px;vertical-align:middle}
.badge.good{background:var(--ok)}.badge.bad{background:var(--failed)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}dl.meta dt{color:#5f6b7a}dl.meta dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
.totals span{display:inline-block;margin:4px 8px 0 0;padding:3px 10px;border-radius:12px;background:#eceff1}
.totals .ok{background:#e8f5e9}.totals .changed{background:#fff8e1}.totals .failed{background:#ffebee}.totals .unreachable{background:#f3e5f5}
.problems li{margin:2px 0}.problems .msg{color:#5f6b7a;font-family:ui-monospace,monospace;font-size:12px}
.controls{margin:0 0 8px}.controls input[type=search]{padding:4px 8px;width:240px}.controls label{margin-left:12px}
.scroll{max-height:65vh;overflow:auto;border:1px solid #e0e4e8;border-radius:6px}#recap .scroll{max-height:40vh}
table{border-collapse:collapse;width:100%}th,td{padding:3px 8px;text-align:right;white-space:nowrap}
th{position:sticky;top:0;background:#eef1f5;z-index:1}td.host,th.host,td.text{text-align:left}
tbody tr:nth-child(even){background:#fafbfc}tr.o-failed td.host{color:var(--failed);font-weight:600}tr.o-unreachable td.host{color:var(--unreachable);font-weight:600}
td.zero{color:#b0b8c0}.out{display:inline-block;padding:0 8px;border-radius:10px;color:#fff;font-size:12px}
.out.ok{background:var(--ok)}.out.changed{background:var(--changed);color:#222}.out.failed{background:var(--failed)}.out.unreachable{background:var(--unreachable)}.out.not-run{background:var(--notrun);color:#222}
.legend span{display:inline-flex;align-items:center;margin-right:14px;font-size:12px}.legend i{width:12px;height:12px;border-radius:2px;margin-right:4px;display:inline-block}
.tl{min-width:720px}.tl-row{display:flex;height:18px;align-items:center;border-bottom:1px solid #f0f2f5}.tl-row:hover{background:#f3f6fa}
.tl-host{flex:0 0 180px;padding:0 8px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:12px;position:sticky;left:0;background:inherit;background-color:#fff;z-index:1}
.tl-track{position:relative;flex:1;height:14px;margin-right:8px}
.cell{position:absolute;top:1px;height:12px;min-width:2px;border-radius:2px}
.ms{position:absolute;top:-1px;width:2px;height:16px;background:#111;z-index:1}
.tl-head{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #cfd6de}.tl-head .tl-row{height:22px}
.tl-head .span{position:absolute;top:2px;height:16px;border-left:1px solid #9aa7b4;font-size:11px;padding-left:3px;overflow:hidden;white-space:nowrap;color:#3c4856;background:#eef1f5}
.tl-head .span:nth-child(odd){background:#e1e7ee}.tick{position:absolute;top:3px;font-size:11px;color:#5f6b7a;border-left:1px solid #cfd6de;padding-left:3px;height:16px}
.s-ok{background:var(--ok)}.s-changed{background:var(--changed)}.s-failed{background:var(--failed)}.s-ignored{background:var(--ignored)}.s-skipped{background:var(--skipped)}.s-unreachable{background:var(--unreachable)}
.tl-row.o-failed .tl-host{color:var(--failed);font-weight:600}.tl-row.o-unreachable .tl-host{color:var(--unreachable);font-weight:600}
.bar{display:inline-block;height:10px;background:#90a4ae;border-radius:2px;vertical-align:middle}
footer{margin:8px 24px 24px;color:#8a96a3;font-size:12px}
)";

constexpr const char* kScript = R"(
(function(){
  var q=document.getElementById('filter'),p=document.getElementById('problems-only');
  function apply(){
    var text=q.value.toLowerCase(),only=p.checked,shown=0;
    document.querySelectorAll('[data-host]').forEach(function(el){
      var h=el.getAttribute('data-host'),o=el.getAttribute('data-outcome');
      var show=h.toLowerCase().indexOf(text)>=0&&(!only||o==='failed'||o==='unreachable');
      el.style.display=show?'':'none';if(show&&el.tagName==='TR')shown++;
    });
    document.getElementById('shown').textContent=shown;
  }
  q.addEventListener('input',apply);p.addEventListener('change',apply);apply();
})();
)";

void append_meta(std::string& out, const RunRecord& r, double total) {
  const bool good = r.exit_code == 0;
  out += "<header><h1>fleetk8s " + e(r.info.command) + (r.info.check ? " (check mode)" : "") +
         " <span class=\"badge " + (good ? "good" : "bad") + "\" id=\"exit-code\">exit " +
         (r.exit_code < 0 ? std::string("?") : std::to_string(r.exit_code)) + "</span></h1>\n<dl class=\"meta\">";
  std::string argv;
  for (const auto& a : r.info.argv) argv += (argv.empty() ? "" : " ") + a;
  auto row = [&](const char* k, const std::string& v) {
    if (!v.empty()) out += std::string("<dt>") + k + "</dt><dd>" + e(v) + "</dd>";
  };
  row("command", argv.empty() ? "fleetk8s " + r.info.command : argv);
  row("inventory", r.info.inventory);
  row("playbook", r.info.playbook);
  row("started", iso_time(r.start));
  row("duration", duration_text(total));
  row("exit code", r.exit_code < 0 ? "" : std::to_string(r.exit_code));
  row("run folder", r.info.run_dir);
  out += "</dl>\n<div class=\"totals\">";
  int counts[5] = {0, 0, 0, 0, 0};
  const char* names[5] = {"ok", "changed", "failed", "unreachable", "not run"};
  for (const auto& h : r.hosts) {
    const std::string o = host_outcome(r, h);
    for (int i = 0; i < 5; ++i)
      if (o == names[i]) ++counts[i];
  }
  out += "<span>" + std::to_string(r.hosts.size()) + " hosts</span>";
  for (int i = 0; i < 5; ++i)
    if (counts[i] > 0 || i < 4)
      out += std::string("<span class=\"") + names[i] + "\">" + std::to_string(counts[i]) + " " + names[i] + "</span>";
  out += "<span>" + std::to_string(r.tasks.size()) + " tasks</span></div></header>\n";
}

void append_problems(std::string& out, const RunRecord& r) {
  std::string items;
  int n = 0;
  for (const auto& h : r.hosts) {
    const std::string o = host_outcome(r, h);
    if (o != "failed" && o != "unreachable") continue;
    if (++n > 100) continue;
    const TaskRecord* t = first_failure(r, h);
    items += "<li><b>" + e(h) + "</b> " + o + (t ? " in <i>" + e(t->name) + "</i>" : std::string()) +
             (t && !t->hosts.at(h).msg.empty() ? "<br><span class=\"msg\">" + e(t->hosts.at(h).msg) + "</span>" : "") +
             "</li>\n";
  }
  if (n == 0) return;
  if (n > 100) items += "<li>... and " + std::to_string(n - 100) + " more (see the recap)</li>\n";
  out += "<section class=\"problems\" id=\"problems\"><h2>" + std::to_string(n) + " host" + (n == 1 ? "" : "s") +
         " with problems</h2><ul>\n" + items + "</ul></section>\n";
}

void append_recap(std::string& out, const RunRecord& r) {
  out += "<section id=\"recap\"><h2>Recap</h2>\n<div class=\"controls\"><input type=\"search\" id=\"filter\" "
         "placeholder=\"filter hosts\" aria-label=\"filter hosts\"><label><input type=\"checkbox\" id=\"problems-only\"> "
         "only hosts with problems</label> <span class=\"count\"><span id=\"shown\">" +
         std::to_string(r.hosts.size()) + "</span> of " + std::to_string(r.hosts.size()) +
         " hosts shown</span></div>\n<div class=\"scroll\"><table id=\"recap-table\"><thead><tr><th class=\"host\">host</th>"
         "<th class=\"host\">outcome</th><th>ok</th><th>changed</th><th>unreachable</th><th>failed</th><th>skipped</th>"
         "<th>rescued</th><th>ignored</th><th title=\"time spent in tasks\">task time</th><th class=\"host\">failed in</th></tr></thead><tbody>\n";
  for (const auto& h : r.hosts) {
    HostStats s;
    for (const auto& [name, st] : r.stats)
      if (name == h) s = st;
    const std::string o = host_outcome(r, h);
    std::string cls = o;
    std::replace(cls.begin(), cls.end(), ' ', '-');
    double busy = 0;
    for (const auto& t : r.tasks)
      if (auto it = t.hosts.find(h); it != t.hosts.end()) busy += seconds(it->second.start, it->second.end);
    const TaskRecord* failed = o == "failed" || o == "unreachable" ? first_failure(r, h) : nullptr;
    out += "<tr class=\"host-row o-" + cls + "\" data-host=\"" + e(h) + "\" data-outcome=\"" + o + "\"><td class=\"host\">" +
           e(h) + "</td><td class=\"text\"><span class=\"out " + cls + "\">" + o + "</span></td>";
    for (int v : {s.ok, s.changed, s.unreachable, s.failed, s.skipped, s.rescued, s.ignored})
      out += std::string("<td") + (v == 0 ? " class=\"zero\"" : "") + ">" + std::to_string(v) + "</td>";
    out += "<td>" + duration_text(busy) + "</td><td class=\"text\">" + (failed ? e(failed->name) : "") + "</td></tr>\n";
  }
  out += "</tbody></table></div></section>\n";
}

void append_timeline(std::string& out, const RunRecord& r, Clock::time_point end) {
  const double total = std::max(seconds(r.start, end), 0.001);
  auto at = [&](Clock::time_point t) { return 100.0 * seconds(r.start, t) / total; };
  out += "<section id=\"timeline\"><h2>Timeline</h2>\n<div class=\"legend\">";
  for (const char* s : {"ok", "changed", "failed", "ignored", "skipped", "unreachable"})
    out += std::string("<span><i class=\"s-") + s + "\"></i>" + s + "</span>";
  out += "</div>\n<div class=\"scroll\"><div class=\"tl\">\n<div class=\"tl-head\">";
  // Time ticks, then the phases (up/check) or tasks as spans.
  out += "<div class=\"tl-row\"><div class=\"tl-host\">time</div><div class=\"tl-track\">";
  for (int i = 0; i < 10; ++i)
    out += "<span class=\"tick\" style=\"left:" + percent(i * 10.0) + "\">" + duration_text(total * i / 10) + "</span>";
  out += "</div></div>";
  out += std::string("<div class=\"tl-row\"><div class=\"tl-host\">") + (r.phases.empty() ? "tasks" : "phases") +
         "</div><div class=\"tl-track\">";
  if (!r.phases.empty()) {
    // A phase starts with its first task (when it has any).
    std::vector<Clock::time_point> starts;
    for (const auto& p : r.phases) {
      Clock::time_point s = p.start;
      for (const auto& t : r.tasks)
        if (t.phase == p.number && !t.hosts.empty()) {
          s = t.start;
          break;
        }
      starts.push_back(s);
    }
    for (size_t i = 0; i < r.phases.size(); ++i) {
      const auto& p = r.phases[i];
      const Clock::time_point start = starts[i], stop = i + 1 < starts.size() ? starts[i + 1] : end;
      const std::string label = std::to_string(p.number) + "/" + std::to_string(p.total) + " " + p.title;
      out += "<span class=\"span\" style=\"left:" + percent(at(start)) + ";width:" + percent(at(stop) - at(start)) +
             "\" title=\"" + e(label + " (" + duration_text(seconds(start, stop)) + ")") + "\">" + e(label) + "</span>";
    }
  } else {
    for (const auto& t : r.tasks)
      out += "<span class=\"span\" style=\"left:" + percent(at(t.start)) + ";width:" + percent(at(t.end) - at(t.start)) +
             "\" title=\"" + e(t.name + " (" + duration_text(seconds(t.start, t.end)) + ")") + "\">" + e(t.name) + "</span>";
  }
  out += "</div></div></div>\n";
  for (const auto& h : r.hosts) {
    const std::string o = host_outcome(r, h);
    std::string cls = o;
    std::replace(cls.begin(), cls.end(), ' ', '-');
    out += "<div class=\"tl-row host-line o-" + cls + "\" data-host=\"" + e(h) + "\" data-outcome=\"" + o +
           "\"><div class=\"tl-host\" title=\"" + e(h) + "\">" + e(h) + "</div><div class=\"tl-track\">";
    for (const auto& t : r.tasks) {
      auto it = t.hosts.find(h);
      if (it == t.hosts.end()) continue;
      const TaskCell& c = it->second;
      const std::string status = status_name(c.status, c.ignored);
      std::string tip = t.name + "\n" + h + "\n" + duration_text(seconds(c.start, c.end)) + ", " + status;
      if (c.rc) tip += ", rc=" + std::to_string(*c.rc);
      if (c.items > 0) tip += ", " + std::to_string(c.items) + " items";
      if (!c.msg.empty()) tip += "\n" + c.msg;
      out += "<div class=\"cell s-" + status + "\" style=\"left:" + percent(at(c.start)) +
             ";width:" + percent(at(c.end) - at(c.start)) + "\" title=\"" + e(tip) + "\"></div>";
    }
    for (const auto& m : r.milestones)
      if (m.host == h)
        out += "<div class=\"ms\" style=\"left:" + percent(at(m.at)) + "\" title=\"" +
               e(h + ": " + m.what + " at " + duration_text(seconds(r.start, m.at))) + "\"></div>";
    out += "</div></div>\n";
  }
  out += "</div></div></section>\n";
}

// The nodes' stories (upgrade: drained, upgraded, Ready, uncordoned), one
// row per node, each step with the time since the start of the run.
void append_milestones(std::string& out, const RunRecord& r) {
  if (r.milestones.empty()) return;
  out += "<section id=\"nodes\"><h2>Node timeline</h2><div class=\"scroll\"><table><thead><tr>"
         "<th class=\"host\">host</th><th class=\"host\">steps (time since the start)</th></tr></thead><tbody>\n";
  for (const auto& h : r.hosts) {
    std::string steps;
    for (const auto& m : r.milestones)
      if (m.host == h)
        steps += (steps.empty() ? "" : " \u2192 ") + e(m.what) + " <small>" + duration_text(seconds(r.start, m.at)) + "</small>";
    if (!steps.empty()) out += "<tr><td class=\"text\">" + e(h) + "</td><td class=\"text\">" + steps + "</td></tr>\n";
  }
  out += "</tbody></table></div></section>\n";
}

void append_tasks(std::string& out, const RunRecord& r) {
  double longest = 0.001;
  for (const auto& t : r.tasks) longest = std::max(longest, seconds(t.start, t.end));
  out += "<section id=\"tasks\"><h2>Tasks</h2><div class=\"scroll\"><table><thead><tr><th>#</th><th class=\"host\">task</th>"
         "<th class=\"host\">play</th><th>time</th><th class=\"host\"></th><th>ok</th><th>changed</th><th>failed</th>"
         "<th>skipped</th><th>unreachable</th></tr></thead><tbody>\n";
  for (size_t i = 0; i < r.tasks.size(); ++i) {
    const auto& t = r.tasks[i];
    int n[5] = {0, 0, 0, 0, 0};
    for (const auto& [h, c] : t.hosts) {
      switch (c.status) {
        case TaskStatus::kOk: ++n[0]; break;
        case TaskStatus::kChanged: ++n[1]; break;
        case TaskStatus::kFailed: ++n[c.ignored ? 0 : 2]; break;
        case TaskStatus::kSkipped: ++n[3]; break;
        case TaskStatus::kUnreachable: ++n[4]; break;
      }
    }
    const double s = seconds(t.start, t.end);
    out += "<tr><td>" + std::to_string(i + 1) + "</td><td class=\"text\">" + e(t.name) + "</td><td class=\"text\">" +
           e(t.play) + "</td><td>" + duration_text(s) + "</td><td class=\"text\"><span class=\"bar\" style=\"width:" +
           std::to_string(static_cast<int>(1 + 120 * s / longest)) + "px\"></span></td>";
    for (int v : n) out += std::string("<td") + (v == 0 ? " class=\"zero\"" : "") + ">" + std::to_string(v) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table></div></section>\n";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "&#10;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_report(const RunRecord& r) {
  const Clock::time_point end = r.end == Clock::time_point{} ? Clock::now() : r.end;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>fleetk8s " +
      e(r.info.command) + " - exit " + std::to_string(r.exit_code) + "</title>\n<style>" + kStyle + "</style></head><body>\n";
  append_meta(out, r, seconds(r.start, end));
  append_problems(out, r);
  append_recap(out, r);
  append_timeline(out, r, end);
  append_milestones(out, r);
  append_tasks(out, r);
  out += "<footer>fleetk8s report, schema " + std::to_string(kReportSchemaVersion) + "; times in UTC</footer>\n<script>" +
         kScript + "</script>\n</body></html>\n";
  return out;  // every text went through e(): masked before it was escaped
}

}  // namespace fleetk8s::report
