// command, shell and raw scripts, run for real by the local POSIX shells
// (dash as Debian's sh, bash --posix as RHEL's sh): hostile words must
// arrive as the literal argv words and nothing else may run. The same
// values run on the sandbox fleet in tests/security/command-test.sh.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fleetk8s/modules/module.h"

using namespace fleetk8s;
using namespace fleetk8s::modules;
namespace fs = std::filesystem;

namespace {

Value::Object args(std::initializer_list<std::pair<const std::string, Value>> kv) { return Value::Object(kv); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch directory with a canary path that no script may create.
struct Scratch {
  fs::path dir;
  Scratch() {
    char tmpl[] = "/tmp/fk-command-test.XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string canary() const { return (dir / "canary").string(); }
  bool canary_exists() const { return fs::exists(dir / "canary"); }
};

// The shells a host may have as /bin/sh.
std::vector<std::string> shells() {
  std::vector<std::string> out;
  for (const char* sh : {"/bin/dash", "/usr/bin/dash", "/bin/bash", "/usr/bin/bash"}) {
    if (::access(sh, X_OK) != 0) continue;
    const std::string name = fs::path(sh).filename();
    bool seen = false;
    for (const auto& o : out) seen = seen || o.find(name) != std::string::npos;
    if (!seen) out.push_back(name == "bash" ? std::string(sh) + " --posix" : std::string(sh));
  }
  return out;
}

// Runs `script` as the remote shell does (a script in sh, stdin from
// /dev/null) with `env` exported first, in `scratch.dir`.
CommandResult run_sh(const std::string& shell, const std::string& script, const Scratch& scratch,
                     const std::string& env = "") {
  const fs::path file = scratch.dir / "script.sh";
  std::ofstream(file, std::ios::binary) << "export LC_ALL=C\n" << env << script;
  const std::string cmd = "cd '" + scratch.dir.string() + "' && " + shell + " " + file.string() + " >" +
                          (scratch.dir / "out").string() + " 2>" + (scratch.dir / "err").string() + " </dev/null";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(scratch.dir / "out");
  r.err = slurp(scratch.dir / "err");
  return r;
}

std::string script_of(const char* module, const Value::Object& a, RunMode mode = {}) {
  auto s = find_module(module)->script(a, mode);
  INFO(module << ": " << (s.ok() ? "" : s.error().message()));
  REQUIRE(s.ok());
  return *s;
}

// Every hostile value of the brief, as text a shell would act on.
std::vector<std::string> hostile(const Scratch& s) {
  const std::string c = s.canary();
  return {"$(touch " + c + ")", "`touch " + c + "`", "x; touch " + c, "x | touch " + c, "x && touch " + c,
          "x\ntouch " + c, "x' ; touch " + c + " ; '", "x\" ; touch " + c + " ; \"", "> " + c, "*", "-- touch " + c,
          "${IFS}touch${IFS}" + c};
}

}  // namespace

TEST_CASE("command: free-form text is split into words, never read by a shell", "[command]") {
  Scratch s;
  for (const auto& sh : shells()) {
    INFO(sh);
    auto r = run_sh(sh, script_of("command", args({{"_raw_params", "echo hi; touch " + s.canary()}})), s);
    CHECK(r.out == "hi; touch " + s.canary() + "\n");
    CHECK(r.exit_status == 0);
    CHECK_FALSE(s.canary_exists());

    r = run_sh(sh, script_of("command", args({{"_raw_params", "printf '[%s]' a*b '<x>' \"q'uo\\\"te\" 'a|b&c'"}})), s);
    CHECK(r.out == "[a*b][<x>][q'uo\"te][a|b&c]");
  }
}

TEST_CASE("command: hostile argv words arrive as exactly those words", "[command]") {
  Scratch s;
  for (const auto& sh : shells()) {
    INFO(sh);
    for (const auto& word : hostile(s)) {
      INFO(word);
      Value::Array argv{"printf", "[%s]", word, "--", word};
      auto r = run_sh(sh, script_of("command", args({{"argv", argv}})), s);
      CHECK(r.out == "[" + word + "][--][" + word + "]");
      CHECK_FALSE(s.canary_exists());
    }
  }
}

TEST_CASE("command: shell builtins and options are not reachable as the program", "[command]") {
  Scratch s;
  const std::string c = s.canary();
  for (const auto& sh : shells()) {
    INFO(sh);
    for (const Value::Array& argv : {Value::Array{"eval", "touch " + c}, Value::Array{"--", "touch", c},
                                     Value::Array{"-c", "touch " + c}, Value::Array{"exec", "touch", c},
                                     Value::Array{".", "/dev/stdin"}, Value::Array{"FOO=1", "touch", c}}) {
      auto r = run_sh(sh, script_of("command", args({{"argv", argv}})), s);
      INFO(argv.front().to_display() << ": " << r.err);
      CHECK(r.exit_status >= 126);  // not found, or "." not executable
      CHECK_FALSE(s.canary_exists());
    }
    auto r = run_sh(sh, script_of("command", args({{"_raw_params", "-- touch " + c}})), s);
    CHECK(r.exit_status == 127);
    CHECK_FALSE(s.canary_exists());
  }
}

TEST_CASE("command: $NAME, ${NAME} and ~ expand as Ansible's run_command does; nothing else", "[command]") {
  Scratch s;
  const char* home = std::getenv("HOME");
  REQUIRE(home);
  for (const auto& sh : shells()) {
    INFO(sh);
    auto r = run_sh(sh, script_of("command", args({{"_raw_params",
        "printf '[%s]' $HOME ${HOME}x $FK_UNSET_X ${FK_UNSET_X} $1x ${a b} $ a$ ~ ~/d '~' x~ ~nosuchuserfk/x $FK_V"}})),
        s, "export FK_V='$(touch " + s.canary() + ") * `x`'\n");
    const std::string h = home;
    CHECK(r.out == "[" + h + "][" + h + "x][$FK_UNSET_X][${FK_UNSET_X}][$1x][${a][b}][$][a$][" + h + "][" + h +
                       "/d][" + h + "][x~][~nosuchuserfk/x][$(touch " + s.canary() + ") * `x`]");
    CHECK_FALSE(s.canary_exists());
  }
}

TEST_CASE("command: chdir, creates, removes and stdin are data", "[command]") {
  Scratch s;
  const std::string c = s.canary();
  fs::create_directories(s.dir / "-");
  fs::create_directories(s.dir / "sub dir");
  std::ofstream(s.dir / "sub dir" / "made.txt") << "x";
  for (const auto& sh : shells()) {
    INFO(sh);
    auto r = run_sh(sh, script_of("command", args({{"_raw_params", "pwd"}, {"chdir", "-"}})), s);
    CHECK(r.out == (s.dir / "-").string() + "\n");
    r = run_sh(sh, script_of("command", args({{"_raw_params", "pwd"}, {"chdir", "$(touch " + c + ")"}})), s);
    auto cd = find_module("command")->interpret(r, {}, {});
    CHECK(cd.failed);
    CHECK_FALSE(cd.changed);  // as Ansible: the command did not run
    CHECK(cd.msg == "Unable to change directory before execution: $(touch " + c + ")");

    // creates is a glob, relative to chdir, as in Ansible.
    auto skipped = run_sh(sh, script_of("command", args({{"_raw_params", "touch " + c}, {"chdir", "sub dir"},
                                                         {"creates", "*.txt"}})), s);
    auto o = find_module("command")->interpret(skipped, {}, {});
    CHECK_FALSE(o.failed);
    CHECK_FALSE(o.changed);
    CHECK(o.msg == "skipped, since *.txt exists");
    for (const auto& word : hostile(s)) {
      // "*" matches the scratch files: skipped by creates, run by removes.
      const int created = word == "*" ? 101 : 0;
      r = run_sh(sh, script_of("command", args({{"_raw_params", "true"}, {"creates", word}, {"removes", "/"}})), s);
      CHECK(r.exit_status == created);
      r = run_sh(sh, script_of("command", args({{"_raw_params", "true"}, {"removes", word}})), s);
      CHECK(r.exit_status == 101 - created);
    }
    CHECK_FALSE(s.canary_exists());

    const std::string data = "a'b\n$(touch " + c + ")`x`\\";
    r = run_sh(sh, script_of("command", args({{"_raw_params", "cat"}, {"stdin", data}})), s);
    CHECK(r.out == data + "\n");
    r = run_sh(sh, script_of("command", args({{"_raw_params", "cat"}, {"stdin", data}, {"stdin_add_newline", false}})), s);
    CHECK(r.out == data);
    CHECK_FALSE(s.canary_exists());
  }
}

TEST_CASE("shell: the text is a program, its executable one word", "[command]") {
  Scratch s;
  for (const auto& sh : shells()) {
    INFO(sh);
    auto r = run_sh(sh, script_of("shell", args({{"_raw_params", "echo a | tr a b; echo $((1+1))"}})), s);
    CHECK(r.out == "b\n2\n");
    // $NAME in the text is the program's to expand, from a hostile value.
    const std::string value = "$(touch " + s.canary() + ") \" ' `x`";
    r = run_sh(sh, script_of("shell", args({{"_raw_params", "printf '[%s]' \"$FK_V\""}})), s,
               "export FK_V=" + shell_quote(value) + "\n");
    CHECK(r.out == "[" + value + "]");
    r = run_sh(sh, script_of("shell", args({{"_raw_params", "echo x"}, {"executable", "/bin/sh; touch " + s.canary()}})), s);
    CHECK(r.exit_status == 127);
    CHECK_FALSE(s.canary_exists());
  }
}

TEST_CASE("command: only the script's own skip is a skip; exit 101 with 'skipped' is a failure", "[command]") {
  Scratch s;
  const Module* m = find_module("command");
  CommandResult forged;
  forged.exit_status = 101;
  forged.out = "skipped, since /etc exists\n";
  auto o = m->interpret(forged, {}, {});
  CHECK(o.failed);
  CHECK_FALSE(o.skipped);
  CHECK(o.result["rc"] == Value(101));
  forged.out = "skipped: command would run (check mode)\n";
  CHECK(m->interpret(forged, {}, {}).failed);
  forged.out = "fleetk8s-verdict-0123 skip\nskipped: command would run (check mode)\n";
  CHECK(m->interpret(forged, {}, {}).failed);

  for (const auto& sh : shells()) {
    INFO(sh);
    auto r = run_sh(sh, script_of("command", args({{"_raw_params", "sh -c 'echo skipped, since / exists; exit 101'"}})), s);
    CHECK(r.exit_status == 101);
    CHECK(m->interpret(r, {}, {}).failed);

    r = run_sh(sh, script_of("command", args({{"_raw_params", "true"}, {"creates", "/"}})), s);
    o = m->interpret(r, {}, {});
    CHECK_FALSE(o.failed);
    CHECK(o.result["stdout"] == Value("skipped, since / exists"));

    r = run_sh(sh, script_of("command", args({{"_raw_params", "touch " + s.canary()}}), {true, false}), s);
    o = m->interpret(r, {}, {true, false});
    CHECK(o.skipped);
    CHECK(o.msg == "skipped: command would run (check mode)");
    CHECK_FALSE(s.canary_exists());
  }
}

TEST_CASE("command: a NUL byte or an unclosed quote is refused before anything runs", "[command]") {
  CHECK_FALSE(find_module("command")->script(args({{"argv", Value::Array{"echo", std::string("a\0b", 3)}}}), {}).ok());
  auto r = find_module("command")->script(args({{"_raw_params", "echo 'unclosed"}}), {});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Catch::Contains("No closing quotation"));
}
