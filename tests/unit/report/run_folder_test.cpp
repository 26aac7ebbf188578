// The run folder: its files, the `last` pointer, old runs removed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <fstream>
#include <sstream>
#include <optional>
#include <sys/stat.h>
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
  f.milestone("web/1", "drained");
  f.recap({{"web/1", HostStats{}}});
  f.finish("{\"schema_version\": 1}\n", 2);

  const fs::path dir = f.path();
  CHECK(fs::path(dir).parent_path() == runs);
  CHECK(std::regex_match(fs::path(dir).filename().string(), std::regex(R"(\d{8}T\d{6}-run-\d+)")));
  CHECK(slurp(dir / "command.txt") == "fleetk8s run -e pw=******** site.yml\n");
  const std::string events = slurp(dir / "events.jsonl");
  CHECK(std::count(events.begin(), events.end(), '\n') == 6);  // play, task, result, retry, milestone, recap
  CHECK(events.find("\"event\":\"milestone\",\"host\":\"web/1\"") != std::string::npos);
  CHECK(events.find("\"event\":\"result\"") != std::string::npos);
  CHECK(events.find("\"duration_ms\":250") != std::string::npos);
  CHECK(events.find("\"rc\":0") != std::string::npos);
  CHECK(events.find("bytes trimmed") != std::string::npos);
  CHECK(events.find("s3cr3t-pass") == std::string::npos);
  const std::string log = slurp(dir / "hosts" / "web_1.log");
  CHECK(log.find("TASK [echo] => changed rc=0 0.250s") != std::string::npos);
  CHECK(log.find(std::string(10000, 'x')) != std::string::npos);  // whole in the host log
  CHECK(std::regex_search(log, std::regex(R"(\n\d{4}-\d\d-\d\dT[0-9:.]+Z -- drained\n)")));
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
  CHECK(default_backups_dir("prod") == "/var/tmp/state/fleetk8s/backups/prod");
  ::unsetenv("XDG_STATE_HOME");
  ::setenv("HOME", "/home/admin", 1);
  CHECK(default_runs_dir() == "/home/admin/.local/state/fleetk8s/runs");
  CHECK(default_backups_dir("prod") == "/home/admin/.local/state/fleetk8s/backups/prod");
  ::setenv("HOME", home.c_str(), 1);
  if (state) ::setenv("XDG_STATE_HOME", saved_state.c_str(), 1);
}

namespace {

// Every file 0600 and every directory 0700 under `dir` (and `dir` itself).
std::vector<std::string> open_modes(const fs::path& dir) {
  std::vector<std::string> wrong;
  auto check = [&](const fs::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
    const unsigned mode = st.st_mode & 07777, want = S_ISDIR(st.st_mode) ? 0700 : 0600;
    if (mode != want) wrong.push_back(p.string() + " " + std::to_string(mode));
  };
  check(dir);
  for (const auto& e : fs::recursive_directory_iterator(dir)) check(e.path());
  return wrong;
}

// Sets the umask for the scope (a shell's usual 022 by default).
struct Umask {
  mode_t saved;
  explicit Umask(mode_t m = 022) : saved(::umask(m)) {}
  ~Umask() { ::umask(saved); }
};

// Sets (or with nullptr unsets) an environment variable for the scope.
struct Env {
  std::string name;
  std::optional<std::string> saved;
  Env(std::string n, const char* value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) saved = v;
    value ? ::setenv(name.c_str(), value, 1) : ::unsetenv(name.c_str());
  }
  ~Env() { saved ? ::setenv(name.c_str(), saved->c_str(), 1) : ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("nobody else can read a run folder: directories 0700, files 0600, with umask 022") {
  Umask umask022;
  TempDir tmp;
  const fs::path runs = tmp.path / "state" / "fleetk8s" / "runs";  // every level made by the run
  auto folder = RunFolder::create(runs.string(), "up", {"fleetk8s", "up"});
  REQUIRE(folder);
  RunFolder& f = **folder;
  f.task_start("TASK", "t");
  TaskResultEvent e;
  e.host = "cp1";
  e.result = Value::Object{{"stdout", "x"}};
  f.task_result(e);
  f.finish("{}\n", 5);
  CHECK(open_modes(tmp.path / "state") == std::vector<std::string>{});
  for (const char* name : {"command.txt", "events.jsonl", "summary.json", "hosts/cp1.log"})
    CHECK(fs::exists(fs::path(f.path()) / name));
  CHECK(fs::exists(runs / "last-summary.json"));
}

TEST_CASE("a secret with quotes and backslashes is masked in events.jsonl and the host log") {
  const std::string pw = "q\"uo\\te'd";
  add_secret(pw);
  TempDir tmp;
  auto folder = RunFolder::create((tmp.path / "runs").string(), "run", {"fleetk8s"});
  REQUIRE(folder);
  RunFolder& f = **folder;
  f.task_start("TASK", "t");
  TaskResultEvent e;
  e.host = "cp1";
  e.status = TaskStatus::kFailed;
  e.result = Value::Object{{"msg", "wrong password " + pw}, {"stdout_lines", Value::Array{pw}}};
  f.task_result(e);
  f.finish("{}\n", 5);
  const std::string events = slurp(fs::path(f.path()) / "events.jsonl");
  const std::string log = slurp(fs::path(f.path()) / "hosts" / "cp1.log");
  CHECK(events.find("uo\\\\te") == std::string::npos);  // its JSON-escaped form
  CHECK(events.find("wrong password ********") != std::string::npos);
  CHECK(log.find("uo\\\\te") == std::string::npos);
  CHECK(log.find("uo\\te") == std::string::npos);
}

TEST_CASE("a certificate key printed in a phase is masked in that same phase's results") {
  const std::string key = "5c7d9e1f3a5b79b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c3e1f0d2b4a6c8e0f1a3b";
  TempDir tmp;
  auto folder = RunFolder::create((tmp.path / "runs").string(), "up", {"fleetk8s"});
  REQUIRE(folder);
  RunFolder& f = **folder;
  f.task_start("TASK", "upload-certs");
  TaskResultEvent e;
  e.host = "cp1";
  e.status = TaskStatus::kChanged;
  const std::string out = "[upload-certs] Using certificate key:\n" + key;
  e.result = Value::Object{{"stdout", out}, {"stdout_lines", Value::Array{"[upload-certs] Using certificate key:", key}}};
  f.task_result(e);
  f.finish("{}\n", 5);
  CHECK(slurp(fs::path(f.path()) / "events.jsonl").find(key) == std::string::npos);
  CHECK(slurp(fs::path(f.path()) / "hosts" / "cp1.log").find(key) == std::string::npos);
}

TEST_CASE("without XDG_STATE_HOME and HOME, run folders never fall back to /tmp") {
  Env no_state("XDG_STATE_HOME", nullptr), no_home("HOME", nullptr);
  const std::string dir = default_runs_dir();
  CHECK(dir.rfind("/tmp", 0) != 0);
  if (::geteuid() == 0) CHECK(dir == "/var/lib/fleetk8s/runs");
  else CHECK(dir.empty());
  Env relative("HOME", "relative/home");
  if (::geteuid() != 0) CHECK(default_runs_dir().empty());
  auto none = RunFolder::create("", "run", {});
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error().message(), Catch::Contains("--run-dir"));
}

TEST_CASE("watch's run folders (watch-CYCLE, watch-CYCLE-fixN) are pruned with the others") {
  TempDir tmp;
  const fs::path runs = tmp.path / "runs";
  fs::create_directories(runs / "20200101T000000-watch-3-fix1-77");
  fs::create_directories(runs / "20200101T000001-watch-5-77");
  fs::create_directories(runs / "20200101T000002-up-78");
  auto folder = RunFolder::create(runs.string(), "watch-9", {"fleetk8s", "watch", "inv.ini"});
  REQUIRE(folder);
  (*folder)->finish("{}\n", 2);
  CHECK(!fs::exists(runs / "20200101T000000-watch-3-fix1-77"));
  CHECK(!fs::exists(runs / "20200101T000001-watch-5-77"));
  CHECK(fs::exists(runs / "20200101T000002-up-78"));
  CHECK(fs::exists((*folder)->path()));
}
