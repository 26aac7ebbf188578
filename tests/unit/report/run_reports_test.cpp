// The run recorder, the JSON and HTML reports and the progress line.
#include <catch2/catch.hpp>

#include <regex>

#include "fleetk8s/report/fanout_reporter.h"
#include "fleetk8s/report/html_report.h"
#include "fleetk8s/report/json_report.h"
#include "fleetk8s/report/progress_reporter.h"
#include "fleetk8s/report/run_record.h"
#include "fleetk8s/report/secrets.h"

using namespace fleetk8s;
using namespace fleetk8s::report;

namespace {

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TaskResultEvent result(const std::string& host, TaskStatus status, int start_ms, int end_ms, Value data = Value()) {
  const Clock::time_point base = Clock::from_time_t(1700000000);
  TaskResultEvent e;
  e.host = host;
  e.status = status;
  e.start = base + std::chrono::milliseconds(start_ms);
  e.end = base + std::chrono::milliseconds(end_ms);
  e.result = std::move(data);
  return e;
}

// A run of two tasks on three hosts: web2 fails the second, w<3> has a
// troublesome name, a loop on web1.
RunRecord sample_run() {
  RunRecord r;
  r.info.command = "run";
  r.info.inventory = "inv.ini";
  r.info.playbook = "site.yml";
  r.hosts = {"web1", "web2", "w<3>"};
  r.start = Clock::from_time_t(1700000000);
  auto rec = make_run_recorder(r);
  rec->play_start("all");
  rec->task_start("TASK", "install");
  rec->task_hosts(r.hosts);
  auto item1 = result("web1", TaskStatus::kOk, 0, 100);
  item1.is_item = true;
  auto item2 = result("web1", TaskStatus::kChanged, 100, 300);
  item2.is_item = true;
  rec->task_result(item1);
  rec->task_result(item2);
  rec->task_result(result("web2", TaskStatus::kOk, 0, 50));
  rec->task_result(result("w<3>", TaskStatus::kSkipped, 0, 1));
  rec->task_start("TASK", "configure");
  auto bad = result("web2", TaskStatus::kFailed, 300, 900, Value::Object{{"msg", "boom with hunter2-secret"}, {"rc", 3}});
  bad.rc = 3;
  rec->task_result(bad);
  rec->task_result(result("web1", TaskStatus::kOk, 300, 400));
  rec->task_result(result("w<3>", TaskStatus::kChanged, 300, 500));
  HostStats ok1, bad2, ok3;
  ok1.ok = 2;
  ok1.changed = 1;
  bad2.ok = 1;
  bad2.failed = 1;
  ok3.ok = 1;
  ok3.changed = 1;
  ok3.skipped = 1;
  bad2.connect_retries = 2;
  rec->recap({{"web1", ok1}, {"web2", bad2}, {"w<3>", ok3}});
  r.end = r.start + std::chrono::seconds(1);
  r.exit_code = 2;
  return r;
}

}  // namespace

TEST_CASE("the recorder merges loop items and keeps the worst status") {
  add_secret("hunter2-secret");
  const RunRecord r = sample_run();
  REQUIRE(r.tasks.size() == 2);
  const TaskCell& loop = r.tasks[0].hosts.at("web1");
  CHECK(loop.status == TaskStatus::kChanged);
  CHECK(loop.items == 2);
  CHECK(loop.end - loop.start == std::chrono::milliseconds(300));
  CHECK(r.tasks[1].hosts.at("web2").status == TaskStatus::kFailed);
  CHECK(r.tasks[1].hosts.at("web2").msg == "boom with ********");
  CHECK(host_outcome(r, "web2") == "failed");
  CHECK(host_outcome(r, "web1") == "changed");
  CHECK(host_outcome(r, "nobody") == "not run");
  REQUIRE(first_failure(r, "web2") != nullptr);
  CHECK(first_failure(r, "web2")->name == "configure");
  CHECK(first_failure(r, "web1") == nullptr);
}

TEST_CASE("the JSON report has every host and task, with times and secrets masked") {
  add_secret("hunter2-secret");
  const std::string json = json_report(sample_run());
  CHECK(json.find("\"schema_version\": 1") != std::string::npos);
  CHECK(json.find("\"exit_code\": 2") != std::string::npos);
  CHECK(json.find("\"failed_task\": \"configure\"") != std::string::npos);
  CHECK(json.find("hunter2-secret") == std::string::npos);
  CHECK(json.find("boom with ********") != std::string::npos);
  CHECK(occurrences(json, "\"outcome\":") == 3);
  CHECK(occurrences(json, "\"task\": ") == 6);  // 2 tasks x 3 hosts
  CHECK(json.find("\"started\": \"2023-11-14T22:13:20.000Z\"") != std::string::npos);
  CHECK(json.find("\"duration_ms\": 600") != std::string::npos);  // web2's failed task
  CHECK(json.find("\"rc\": 3") != std::string::npos);
}

TEST_CASE("the JSON report gives each host its connect retries") {
  const std::string json = json_report(sample_run());
  CHECK(occurrences(json, "\"connect_retries\": 0") == 2);
  CHECK(occurrences(json, "\"connect_retries\": 2") == 1);  // web2's
}

TEST_CASE("the HTML report is one self-contained page with the recap and the timeline") {
  add_secret("hunter2-secret");
  const std::string html = html_report(sample_run());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(occurrences(html, "class=\"host-row ") == 3);
  CHECK(occurrences(html, "class=\"tl-row host-line ") == 3);
  CHECK(occurrences(html, "<div class=\"cell s-") == 6);
  CHECK(html.find("class=\"cell s-failed\"") != std::string::npos);
  CHECK(html.find("w&lt;3&gt;") != std::string::npos);
  CHECK(html.find("w<3>") == std::string::npos);
  CHECK(html.find("hunter2-secret") == std::string::npos);
  // Nothing fetched: no URL, no src= or href= at all.
  CHECK(html.find("http") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(std::regex_search(html, std::regex("title=\"configure&#10;web2&#10;0\\.60s, failed, rc=3")));
}

TEST_CASE("the progress lines fit the terminal and count pending hosts") {
  ProgressLine l;
  l.phase = "[2/7] Prepare every host";
  l.task = "Install the CRI-O package and its configuration";
  l.targets = 50;
  l.ok = 30;
  l.changed = 5;
  l.failed = 1;
  l.unreachable = 1;
  l.elapsed = 83;
  const std::string both = format_progress(l, 79, false, false);
  const std::string label = both.substr(0, both.find('\n')), counts = both.substr(both.find('\n') + 1);
  CHECK(label == "[2/7] Prepare every host > Install the CRI-O package and its configuration");
  CHECK(counts == "|########----| 37/50 ok 30 changed 5 failed 1 unreachable 1 pending 13 01:23");
  const std::string narrow = format_progress(l, 62, false, false);
  CHECK(narrow.substr(0, narrow.find('\n')) == "[2/7] Prepare every host > Install the CRI-O package and its ~");
  CHECK(narrow.substr(narrow.find('\n') + 1) == "37/50 ok 30 changed 5 failed 1 unreachable 1 pending 13 01:23");
  CHECK(format_progress(l, 40, false, false).substr(format_progress(l, 40, false, false).find('\n') + 1).size() == 40);
  const std::string painted = format_progress(l, 120, true, true);
  CHECK(painted.find("\033[31mfailed 1\033[0m") != std::string::npos);
  CHECK(painted.find("\033[32mok 30\033[0m") != std::string::npos);
}

TEST_CASE("the fan-out passes every event on; phases default to a text line") {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  RunRecord r;
  {
    auto text = make_text_reporter(f, 0);
    auto rec = make_run_recorder(r);
    FanoutReporter fan;
    fan.add(*text);
    fan.add(*rec);
    fan.phase(2, 7, "Prepare every host");
    fan.task_start("TASK", "x");
    fan.task_result(result("h1", TaskStatus::kOk, 0, 10));
  }
  std::fclose(f);
  const std::string out(buf, len);
  std::free(buf);
  CHECK(out.find("\n== [2/7] Prepare every host\n") == 0);
  CHECK(out.find("ok: [h1]") != std::string::npos);
  REQUIRE(r.phases.size() == 1);
  CHECK(r.tasks.at(0).phase == 2);
  CHECK(r.tasks.at(0).hosts.count("h1") == 1);
}

TEST_CASE("the text reporter at verbosity 2 (-vv) shows each command's status, time and output lines") {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  {
    auto text = make_text_reporter(f, 2);
    auto e = result("cp1", TaskStatus::kChanged, 0, 1500,
                    Value::Object{{"cmd", "uname -r"}, {"stdout", "6.1\nsecond"}, {"stderr", "warn"}, {"rc", 0}});
    e.rc = 0;
    text->task_result(e);
  }
  std::fclose(f);
  const std::string out(buf, len);
  std::free(buf);
  CHECK(out.find("\n  [cp1] rc=0 1.50s: uname -r\n  cp1 | 6.1\n  cp1 | second\n  cp1 ! warn\n") != std::string::npos);
}

TEST_CASE("a failure's message is masked before it is cut or displayed as JSON") {
  const std::string pw = "cut\"me\\Hx9";
  add_secret(pw);
  RunRecord r;
  auto rec = make_run_recorder(r);
  rec->task_start("TASK", "t");
  // The secret straddles the 500-character cut; a dict message is shown as JSON.
  rec->task_result(result("a", TaskStatus::kFailed, 0, 1, Value::Object{{"msg", std::string(495, 'x') + pw}}));
  rec->task_result(result("b", TaskStatus::kFailed, 0, 1, Value::Object{{"msg", Value::Object{{"why", pw}}}}));
  for (const char* host : {"a", "b"}) {
    const std::string msg = r.tasks[0].hosts.at(host).msg;
    CHECK(msg.find("cut") == std::string::npos);
    CHECK(msg.find("Hx9") == std::string::npos);
  }
  CHECK(r.tasks[0].hosts.at("b").msg.find("********") != std::string::npos);
}

TEST_CASE("the live progress line masks a secret before cutting the line to the terminal's width") {
  const std::string pw = "Pr0gress-Secret-Wz7";
  add_secret(pw);
  std::FILE* out = std::tmpfile();
  REQUIRE(out);
  {
    auto progress = make_progress_reporter(out, 0);
    // 80 columns (not a terminal): the secret straddles the cut.
    progress->task_start("TASK", std::string(60, 'n') + " " + pw + " and more");
    progress->task_hosts({"a", "b"});
  }
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text += static_cast<char>(c);
  std::fclose(out);
  CHECK(text.find(std::string(60, 'n')) != std::string::npos);  // it was drawn
  CHECK(text.find("Pr0g") == std::string::npos);
}

TEST_CASE("a node's milestones (upgrade: drained, Ready, uncordoned) reach the JSON and HTML reports and the fan-out") {
  RunRecord r = sample_run();
  auto rec = make_run_recorder(r);
  FanoutReporter fan;
  fan.add(*rec);
  fan.milestone("web1", "drained");
  fan.milestone("w<3>", "kubelet 1.34.1");
  fan.milestone("web1", "uncordoned");
  REQUIRE(r.milestones.size() == 3);
  CHECK(r.milestones[0].host == "web1");
  CHECK(r.milestones[2].what == "uncordoned");
  CHECK(r.milestones[0].at <= r.milestones[2].at);

  const std::string json = json_report(r);
  // web1's own timeline, in order; web2 has an empty one.
  CHECK(std::regex_search(json, std::regex("\"timeline\": \\[\\s*\\{\\s*\"at\": \"[0-9T:.-]+Z\",\\s*\"what\": \"drained\"\\s*\\},"
                                           "\\s*\\{\\s*\"at\": \"[0-9T:.-]+Z\",\\s*\"what\": \"uncordoned\"")));
  CHECK(occurrences(json, "\"timeline\": []") == 1);
  CHECK(occurrences(json, "\"what\": ") == 3);

  const std::string html = html_report(r);
  CHECK(html.find("<section id=\"nodes\"><h2>Node timeline</h2>") != std::string::npos);
  CHECK(occurrences(html, "<div class=\"ms\"") == 3);
  CHECK(html.find("kubelet 1.34.1") != std::string::npos);
  CHECK(html.find("w&lt;3&gt;: kubelet 1.34.1") != std::string::npos);
  // No milestones: no such section.
  CHECK(html_report(sample_run()).find("Node timeline") == std::string::npos);
}
