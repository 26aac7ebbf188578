// Hostile module arguments on real hosts: every value that reaches a host
// must arrive as data. For each argument a table of shell-, awk- and
// sed-hostile values is run through the module on a sandbox host; the
// canary those values would create must never appear, and the module
// either has exactly the intended effect (the literal value in the file,
// the literal path) or fails with an error that names the argument.
// Also: a file written with mode 0600 is never readable by others while
// it is being written.
#include <catch2/catch.hpp>

#include <cstdio>
#include <functional>

#include "fleetk8s/modules/module.h"
#include "fleetk8s/ssh/remote_shell.h"
#include "sandbox.h"

using namespace fleetk8s;
using namespace std::chrono_literals;
using testing::run_async;
using testing::sandbox_host;

namespace {

using Exec = boost::asio::any_io_executor;
using fleetk8s::shell_quote;

const char* kHost = "worker01";
const std::string kDir = "/var/tmp/fk-hostile";
const std::string kCanary = "/tmp/fk-canary";

// The values every argument is fed.
std::vector<std::pair<std::string, std::string>> hostile_values() {
  std::string big(64 * 1024, 'A');
  big += "$(touch " + kCanary + ")";
  return {
      {"command substitution", "$(touch " + kCanary + ")"},
      {"backticks", "`touch " + kCanary + "`"},
      {"semicolon", "x; touch " + kCanary},
      {"pipe", "x | touch " + kCanary},
      {"ampersand", "x & touch " + kCanary},
      {"newline", "x\ntouch " + kCanary},
      {"literal backslash-n", "x\\ntouch " + kCanary},
      {"single quote", "x'; touch " + kCanary + "; '"},
      {"double quote", "x\"; touch " + kCanary + "; \""},
      {"star", "*"},
      {"question mark", "?"},
      {"bracket", "["},
      {"leading dash", "-rf"},
      {"leading double dash", "--help"},
      {"NUL", std::string("a\0b", 3)},
      {"64 KiB", big},
      {"not UTF-8", "x\xff\xfe\xc3("},
      {"awk and sed escapes", "\\1&\\0\\x41/e"},
  };
}

struct Ran {
  bool script_refused = false;  // script() returned an error
  modules::Outcome outcome;
};

// Runs (module, args) pairs on the host in one shell; "sh" runs its
// `_raw_params` as is and returns stdout in outcome.msg.
std::vector<Ran> run(const std::vector<std::pair<std::string, Value::Object>>& steps, modules::RunMode mode = {}) {
  return run_async<std::vector<Ran>>([&](Exec ex) -> ssh::Task<std::vector<Ran>> {
    std::vector<Ran> got;
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host(kHost));
    REQUIRE(c.ok());
    auto shell = co_await ssh::RemoteShell::start(**c, ssh::BecomeOptions{}, 10s);
    REQUIRE(shell.ok());
    for (const auto& [name, a] : steps) {
      Ran r;
      if (name == "sh") {
        auto ran = co_await (*shell)->run(a.at("_raw_params").as_string(), 60s);
        REQUIRE(ran.ok());
        r.outcome.msg = ran->out;
        r.outcome.failed = ran->exit_status != 0;
        r.outcome.diff = ran->err;  // (stderr, for messages)
        got.push_back(r);
        continue;
      }
      const modules::Module* m = modules::find_module(name);
      REQUIRE(m != nullptr);
      auto script = m->script(a, mode);
      if (!script) {
        r.script_refused = true;
        r.outcome.failed = true;
        r.outcome.msg = script.error().message();
        got.push_back(r);
        continue;
      }
      auto ran = co_await (*shell)->run(*script, 30s);
      REQUIRE(ran.ok());
      r.outcome = m->interpret(*ran, a, mode);
      got.push_back(r);
    }
    co_await (*c)->close();
    co_return got;
  });
}

// The bytes of `s` as `od -An -tx1 -v` prints them, whitespace removed.
std::string hex(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}
// One argument under attack: the module's arguments with `key` set to the
// hostile value, and what must hold after a successful run.
struct Case {
  std::string module;
  std::string key;
  std::function<Value::Object(const std::string&)> make;
  // Shell on the host printing the effect, and what it must print for value
  // v ("" skips the comparison: only the canary and the error are checked).
  std::function<std::pair<std::string, std::string>(const std::string&)> effect;
  bool may_fail = true;  // a run-time failure (not a refusal) is acceptable
};

std::string file_in_dir(const std::string& v) {
  // A value as one path component: '/' would name other directories.
  std::string name = v;
  for (char& c : name)
    if (c == '/') c = '_';
  return kDir + "/f-" + name;
}

std::vector<Case> cases() {
  const std::string f = kDir + "/target";
  auto file_holds = [f](std::function<std::string(const std::string&)> expected) {
    return [f, expected](const std::string& v) {
      return std::pair{"if [ -f " + shell_quote(f) + " ]; then od -An -tx1 -v < " + shell_quote(f) + " | tr -d ' \\n'; fi",
                       hex(expected(v))};
    };
  };
  auto exists = [](const std::string& v) {
    const std::string p = file_in_dir(v);
    return std::pair{"if [ -e " + shell_quote(p) + " ] || [ -L " + shell_quote(p) + " ]; then echo yes; else echo no; fi",
                     std::string(p.size() > 255 + kDir.size() + 1 ? "" : "yes\n")};
  };
  std::vector<Case> out;
  out.push_back({"copy", "content", [f](const std::string& v) { return Value::Object{{"dest", f}, {"content", v}}; },
                 file_holds([](const std::string& v) { return v; }), false});
  out.push_back({"copy", "dest",
                 [](const std::string& v) { return Value::Object{{"dest", file_in_dir(v)}, {"content", "x"}}; }, exists});
  out.push_back({"copy", "owner", [f](const std::string& v) { return Value::Object{{"dest", f}, {"content", "x"}, {"owner", v}}; },
                 nullptr});
  out.push_back({"copy", "group", [f](const std::string& v) { return Value::Object{{"dest", f}, {"content", "x"}, {"group", v}}; },
                 nullptr});
  out.push_back({"copy", "mode", [f](const std::string& v) { return Value::Object{{"dest", f}, {"content", "x"}, {"mode", v}}; },
                 nullptr});
  out.push_back({"file", "path", [](const std::string& v) { return Value::Object{{"path", file_in_dir(v)}, {"state", "touch"}}; },
                 exists});
  out.push_back({"file", "path",
                 [](const std::string& v) { return Value::Object{{"path", file_in_dir(v)}, {"state", "directory"}}; }, exists});
  out.push_back({"file", "src",
                 [](const std::string& v) { return Value::Object{{"path", kDir + "/link"}, {"src", v}, {"state", "link"}}; },
                 [](const std::string& v) {
                   return std::pair{"readlink -- " + shell_quote(kDir + "/link") + " | od -An -tx1 -v | tr -d ' \\n'",
                                    v.size() > 4096 ? std::string() : hex(v + "\n")};
                 }});
  out.push_back({"file", "owner", [f](const std::string& v) { return Value::Object{{"path", f}, {"state", "touch"}, {"owner", v}}; },
                 nullptr});
  out.push_back({"lineinfile", "line",
                 [f](const std::string& v) { return Value::Object{{"path", f}, {"line", v}, {"create", true}}; },
                 file_holds([](const std::string& v) { return "x\n" + v + "\n"; }), false});
  out.push_back({"lineinfile", "regexp",
                 [f](const std::string& v) {
                   return Value::Object{{"path", f}, {"line", "fixed"}, {"regexp", v}, {"create", true}};
                 },
                 nullptr});
  out.push_back({"lineinfile", "line (backrefs)",
                 [f](const std::string& v) {
                   return Value::Object{{"path", f}, {"line", "\\1" + v}, {"regexp", "^(x)$"}, {"backrefs", true}};
                 },
                 nullptr});
  out.push_back({"blockinfile", "block",
                 [f](const std::string& v) { return Value::Object{{"path", f}, {"block", v}, {"create", true}}; },
                 file_holds([](const std::string& v) {
                   return "x\n# BEGIN ANSIBLE MANAGED BLOCK\n" + v + (v.back() == '\n' ? "" : "\n") + "# END ANSIBLE MANAGED BLOCK\n";
                 }),
                 false});
  out.push_back({"blockinfile", "marker",
                 [f](const std::string& v) { return Value::Object{{"path", f}, {"block", "b"}, {"marker", v}, {"create", true}}; },
                 nullptr});
  out.push_back({"replace", "replace",
                 [f](const std::string& v) { return Value::Object{{"path", f}, {"regexp", "^x$"}, {"replace", v}}; }, nullptr});
  out.push_back({"replace", "regexp",
                 [f](const std::string& v) { return Value::Object{{"path", f}, {"regexp", v}, {"replace", "y"}}; }, nullptr});
  out.push_back({"sysctl", "value",
                 [f](const std::string& v) {
                   return Value::Object{{"name", "fk.test.key"}, {"value", v}, {"sysctl_file", f}, {"reload", false}};
                 },
                 file_holds([](const std::string& v) { return "x\nfk.test.key=" + v + "\n"; }), false});
  out.push_back({"sysctl", "name",
                 [f](const std::string& v) {
                   return Value::Object{{"name", v}, {"value", "1"}, {"sysctl_file", f}, {"reload", false}};
                 },
                 nullptr, false});
  out.push_back({"modprobe", "name", [](const std::string& v) { return Value::Object{{"name", v}, {"persistent", "present"}}; },
                 nullptr});
  out.push_back({"modprobe", "params",
                 [](const std::string& v) {
                   return Value::Object{{"name", "dummy"}, {"params", v}, {"persistent", "present"}};
                 },
                 nullptr});
  out.push_back({"dnf", "name", [](const std::string& v) { return Value::Object{{"name", Value::Array{v}}}; }, nullptr});
  out.push_back({"dnf", "name (absent)",
                 [](const std::string& v) { return Value::Object{{"name", Value::Array{v}}, {"state", "absent"}}; }, nullptr});
  out.push_back({"systemd", "name", [](const std::string& v) { return Value::Object{{"name", v}, {"state", "started"}}; },
                 nullptr});
  out.push_back({"yum_repository", "name",
                 [](const std::string& v) {
                   return Value::Object{{"name", v}, {"description", "D"}, {"baseurl", "http://x/"}, {"reposdir", kDir}};
                 },
                 nullptr});
  out.push_back({"yum_repository", "description",
                 [](const std::string& v) {
                   return Value::Object{{"name", "fk"}, {"description", v}, {"baseurl", "http://x/"}, {"reposdir", kDir}};
                 },
                 [](const std::string& v) {
                   return std::pair{"grep -c '^\\[' " + shell_quote(kDir + "/fk.repo"), std::string(v.find('\n') == std::string::npos ? "1\n" : "")};
                 }});
  out.push_back({"get_url", "url",
                 [f](const std::string& v) { return Value::Object{{"url", v}, {"dest", f}, {"force", true}}; }, nullptr});
  out.push_back({"stat", "path", [](const std::string& v) { return Value::Object{{"path", file_in_dir(v)}}; }, nullptr});
  out.push_back({"wait_for", "path",
                 [](const std::string& v) { return Value::Object{{"path", file_in_dir(v)}, {"timeout", 1}, {"state", "absent"}}; },
                 nullptr});
  out.push_back({"wait_for", "host",
                 [](const std::string& v) { return Value::Object{{"host", v}, {"port", 1}, {"timeout", 1}, {"state", "stopped"}}; },
                 nullptr});
  out.push_back({"selinux", "policy",
                 [f](const std::string& v) { return Value::Object{{"state", "permissive"}, {"policy", v}, {"configfile", f}}; },
                 nullptr});
  return out;
}

}  // namespace

TEST_CASE("hostile argument values reach the host as data or are refused naming the argument", "[security][modules]") {
  const auto values = hostile_values();
  const auto all = cases();
  // One shell for everything: per case, a reset, the module, the effect
  // and the canary check.
  struct Planned {
    const Case* c;
    std::string label, value;
    std::pair<std::string, std::string> effect;
    size_t module_step;
  };
  std::vector<Planned> plan;
  std::vector<std::pair<std::string, Value::Object>> steps;
  const std::string reset = "rm -rf " + shell_quote(kDir) + " " + kCanary + "; mkdir -p " + shell_quote(kDir) +
                            "; printf 'x\\n' > " + shell_quote(kDir + "/target");
  const std::string canary = "if [ -e " + kCanary + " ]; then echo CANARY; fi";
  for (const auto& c : all) {
    for (const auto& [label, v] : values) {
      Planned p{&c, label, v, c.effect ? c.effect(v) : std::pair<std::string, std::string>{}, 0};
      steps.push_back({"sh", Value::Object{{"_raw_params", reset}}});
      p.module_step = steps.size();
      steps.push_back({c.module, c.make(v)});
      steps.push_back({"sh", Value::Object{{"_raw_params", p.effect.first.empty() ? ":" : p.effect.first}}});
      steps.push_back({"sh", Value::Object{{"_raw_params", canary}}});
      plan.push_back(p);
    }
  }
  steps.push_back({"sh", Value::Object{{"_raw_params", "rm -rf " + shell_quote(kDir) +
                                                           " /etc/modprobe.d/dummy.conf /etc/modules-load.d/dummy.conf; modprobe -r dummy 2>/dev/null; :"}}});
  const auto r = run(steps);
  for (const auto& p : plan) {
    const Ran& m = r[p.module_step];
    INFO(p.c->module << " " << p.c->key << " = " << p.label << ": " << (m.outcome.failed ? "failed: " : "ok: ")
                     << m.outcome.msg.substr(0, 300));
    CHECK(r[p.module_step + 2].outcome.msg == "");  // never the canary
    if (m.script_refused) {
      const std::string key = p.c->key.substr(0, p.c->key.find(' '));
      CHECK_THAT(m.outcome.msg, Catch::Contains(key));
      CHECK(m.outcome.msg.size() < 1000);  // the 64 KiB value is not echoed whole
      continue;
    }
    if (m.outcome.failed) {
      CHECK(p.c->may_fail);
      CHECK_FALSE(m.outcome.msg.empty());
      continue;
    }
    if (!p.effect.second.empty()) CHECK(r[p.module_step + 1].outcome.msg == p.effect.second);
  }
}

TEST_CASE("a file written 0600 is never readable by others while it is written", "[security][modules]") {
  const std::string dir = "/var/tmp/fk-race";
  const std::string f = dir + "/join.yaml";
  // A watcher lists every file in the directory that group or others may
  // read while copy and lineinfile write the file again and again (new
  // each time, and over an existing 0644 file). It runs on in the background while
  // the module runs, one task at a time, as in a playbook.
  auto shell = [](std::string cmd) { return std::pair{std::string("sh"), Value::Object{{"_raw_params", cmd}}}; };
  std::vector<std::pair<std::string, Value::Object>> steps;
  // A 2 KiB world-readable control file shows the watcher sees what it should.
  const std::string control = dir + "/control";
  steps.push_back(shell("rm -rf " + dir + " " + dir + ".stop " + dir + ".done; mkdir -p " + dir + "; head -c 2048 /dev/zero > " +
                        control + "; chmod 0644 " + control + "\n" +
                        "( while [ ! -e " + dir + ".stop ]; do find " + dir +
                        " -mindepth 1 -perm /044 -size +1k -printf '%m %s %p\\n' 2>/dev/null; done; touch " + dir + ".done ) > " + dir +
                        ".log 2>&1 &\n"));
  for (int i = 0; i < 60; ++i) {
    steps.push_back({"copy", Value::Object{{"dest", f},
                                           {"content", "token: " + std::to_string(i) + std::string(4096, 's') + "\n"},
                                           {"mode", "0600"}}});
    if (i % 4 == 0) {  // lineinfile's temporary file holds the whole new content too (think sudoers)
      steps.push_back({"lineinfile", Value::Object{{"path", f}, {"line", "secret " + std::to_string(i) + std::string(2048, 'l')},
                                                   {"mode", "0600"}}});
    }
    if (i % 2 == 1) steps.push_back(shell("rm -f " + f));
    if (i % 4 == 3) steps.push_back(shell("printf 'public\\n' > " + f + "; chmod 0644 " + f));
  }
  steps.push_back({"copy", Value::Object{{"dest", f}, {"content", "token: last" + std::string(4096, 's') + "\n"},
                                         {"mode", "0600"}}});
  const std::string log = dir + ".log";
  steps.push_back(shell("touch " + dir + ".stop; while [ ! -e " + dir + ".done ]; do sleep 0.05; done; " +
                        "grep -q ' " + control + "$' " + log + " && echo watched; grep -v ' " + control + "$' " + log +
                        "; stat -c %a " + f + "; rm -rf " + dir + " " + dir + ".stop " + dir + ".done " + log));
  const auto ran = run(steps);
  for (const auto& r : ran) CHECK_FALSE(r.outcome.failed);
  const std::string& out = ran.back().outcome.msg;
  INFO("stderr: " << ran.back().outcome.diff);
  // Nothing of 1 KiB or more (the secret; the deliberately public file is
  // 7 bytes) but the control was ever open to group or others; the last run
  // leaves the file 0600.
  CHECK(out == "watched\n600\n");
}
