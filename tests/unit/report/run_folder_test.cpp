// The run folder: its files, the `last` pointer, old runs removed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "fleetk8s/report/run_folder.h"
#include "fleetk8s/report/secrets.h"

using namespace fleetk8s;
using namespace fleetk8s::report;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/fk-run-folder-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a run folder holds the command, the events, the host logs and the summary") {
  add_secret("s3cr3t-pass");
  TempDir tmp;
  const fs::path runs = tmp.path / "runs";
  fs::create_directories(runs / "20200101T000000-run-1");  // old runs
  fs::create_directories(runs / "20200101T000001-up-2");
  fs::create_directories(runs / "keep-me");                // not a run folder: never removed
  auto folder = RunFolder::create(runs.string(), "run", {"fleetk8s", "run", "-e", "pw=s3cr3t-pass", "site.yml"});
  REQUIRE(folder);
  RunFolder& f = **folder;
  f.play_start("all");
  f.task_start("TASK", "echo");
  TaskResultEvent e;
  e.host = "web/1";
  e.status = TaskStatus::kChanged;
  e.rc = 0;
  e.start = std::chrono::system_clock::now();
  e.end = e.start + std::chrono::milliseconds(250);
  e.result = Value::Object{{"changed", true}, {"stdout", "hello s3cr3t-pass\n" + std::string(10000, 'x')}, {"rc", 0}};
  f.task_result(e);
  TaskResultEvent retry;
  retry.host = "web/1";
  retry.status = TaskStatus::kFailed;
  retry.retries_left = 2;
  f.task_result(retry);
  f.recap({{"web/1", HostStats{}}});
  f.finish("{\"schema_version\": 1}\n", 2);

  const fs::path dir = f.path();
  CHECK(fs::path(dir).parent_path() == runs);
  CHECK(std::regex_match(fs::path(dir).filename().string(), std::regex(R"(\d{8}T\d{6}-run-\d+)")));
  CHECK(slurp(dir / "command.txt") == "fleetk8s run -e pw=******** site.yml\n");
  const std::string events = slurp(dir / "events.jsonl");
  CHECK(std::count(events.begin(), events.end(), '\n') == 5);  // play, task, result, retry, recap
  CHECK(events.find("\"event\":\"result\"") != std::string::npos);
  CHECK(events.find("\"duration_ms\":250") != std::string::npos);
  CHECK(events.find("\"rc\":0") != std::string::npos);
  CHECK(events.find("bytes trimmed") != std::string::npos);
  CHECK(events.find("s3cr3t-pass") == std::string::npos);
  const std::string log = slurp(dir / "hosts" / "web_1.log");
  CHECK(log.find("TASK [echo] => changed rc=0 0.250s") != std::string::npos);
  CHECK(log.find(std::string(10000, 'x')) != std::string::npos);  // whole in the host log
  CHECK(log.find("s3cr3t-pass") == std::string::npos);
  CHECK(slurp(dir / "summary.json") == "{\"schema_version\": 1}\n");
  CHECK(fs::read_symlink(runs / "last") == fs::path(dir).filename());
  CHECK(slurp(runs / "last-summary.json") == "{\"schema_version\": 1}\n");
  // keep 2: the oldest run went, the other old one and this one stay.
  CHECK(!fs::exists(runs / "20200101T000000-run-1"));
  CHECK(fs::exists(runs / "20200101T000001-up-2"));
  CHECK(fs::exists(runs / "keep-me"));
}

TEST_CASE("a run folder that cannot be created is an error naming the path") {
  auto folder = RunFolder::create("/proc/fleetk8s-cannot", "run", {});
  REQUIRE(!folder);
  CHECK(folder.error().message().find("/proc/fleetk8s-cannot") != std::string::npos);
}

TEST_CASE("long output is trimmed on character boundaries") {
  // 24 bytes; 6 kept at each end would cut both e-acutes in half.
  const std::string text = "aaaaa\xc3\xa9" + std::string(10, 'c') + "\xc3\xa9" + "bbbbb";
  CHECK(trim_output(text, 12) == "aaaaa\n[... 14 bytes trimmed ...]\nbbbbb");
  CHECK(trim_output("short", 12) == "short");
}

TEST_CASE("the runs directory follows XDG_STATE_HOME") {
  const std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
  const char* state = std::getenv("XDG_STATE_HOME");
  const std::string saved_state = state ? state : "";
  ::setenv("XDG_STATE_HOME", "/var/tmp/state", 1);
  CHECK(default_runs_dir() == "/var/tmp/state/fleetk8s/runs");
  ::unsetenv("XDG_STATE_HOME");
  ::setenv("HOME", "/home/admin", 1);
  CHECK(default_runs_dir() == "/home/admin/.local/state/fleetk8s/runs");
  ::setenv("HOME", home.c_str(), 1);
  if (state) ::setenv("XDG_STATE_HOME", saved_state.c_str(), 1);
}
