// lineinfile, replace, blockinfile, stat, get_url and wait_for on sandbox
// hosts: the first run changes, the second changes nothing, check mode
// reports the change and leaves the file alone, diff shows it, and the
// files come out byte for byte as Ansible (run locally, when installed)
// makes them from the same task. Every test cleans up first, so it can run
// again on the same fleet.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "fleetk8s/modules/module.h"
#include "fleetk8s/ssh/remote_shell.h"
#include "sandbox.h"

using namespace fleetk8s;
using namespace std::chrono_literals;
using testing::run_async;
using testing::sandbox_host;

namespace {

using Exec = boost::asio::any_io_executor;

struct Step {
  std::string module;
  Value::Object args;
  modules::RunMode mode;
};

// Runs each step on `host` through one RemoteShell.
std::vector<modules::Outcome> run_steps(const std::string& host, const std::vector<Step>& steps) {
  return run_async<std::vector<modules::Outcome>>([&](Exec ex) -> ssh::Task<std::vector<modules::Outcome>> {
    std::vector<modules::Outcome> got;
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host(host));
    REQUIRE(c.ok());
    auto shell = co_await ssh::RemoteShell::start(**c, ssh::BecomeOptions{}, 10s);
    REQUIRE(shell.ok());
    for (const auto& st : steps) {
      const modules::Module* m = modules::find_module(st.module);
      REQUIRE(m != nullptr);
      auto script = m->script(st.args, st.mode);
      INFO(st.module << ": " << (script.ok() ? "" : script.error().message()));
      REQUIRE(script.ok());
      auto ran = co_await (*shell)->run(*script, 60s);
      REQUIRE(ran.ok());
      got.push_back(m->interpret(*ran, st.args, st.mode));
    }
    auto closed = co_await (*shell)->close();
    (void)closed;
    co_await (*c)->close();
    co_return got;
  });
}

Value::Object args(std::initializer_list<std::pair<const std::string, Value>> kv) { return Value::Object(kv); }

Step sh(const std::string& cmd) { return {"shell", args({{"_raw_params", cmd}}), {}}; }

std::string shell_out(const std::string& host, const std::string& cmd) {
  return run_steps(host, {sh(cmd)})[0].result["stdout"].to_display();
}

Step with_path(const std::string& module, Value::Object a, const std::string& key, const std::string& path,
               modules::RunMode mode = {}) {
  a[key] = path;
  return {module, std::move(a), mode};
}

std::string base64_decode(const std::string& in) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : in) {
    const size_t v = alphabet.find(c);
    if (v == std::string::npos) continue;  // '=' and line breaks
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// A task compared with Ansible: the module, its arguments (path added) and
// the file before (nullopt: missing).
struct Case {
  const char* module;
  Value::Object args;
  std::optional<std::string> content;
};

const std::string kSshd = "Port 22\n#PermitRootLogin yes\nPasswordAuthentication yes\n";
const std::string kFstab =
    "UUID=1 / xfs defaults 0 0\n/dev/mapper/rl-swap none swap defaults 0 0\n#/dev/sdb2 none swap sw 0 0\n";
const std::string kM0 = "# BEGIN ANSIBLE MANAGED BLOCK\n", kM1 = "# END ANSIBLE MANAGED BLOCK\n";

// The cases, as data: the reply to the brief lists them.
const std::vector<Case>& ansible_cases() {
  static const std::vector<Case> cases = {
      // lineinfile: regexp replaces the last match; firstmatch the first.
      {"lineinfile", args({{"regexp", "^#?PermitRootLogin\\s"}, {"line", "PermitRootLogin no"}}), kSshd},
      {"lineinfile", args({{"regexp", "^x"}, {"line", "x=1"}}), "x=0\ny\nx=2\n"},
      {"lineinfile", args({{"regexp", "^x"}, {"line", "x=1"}, {"firstmatch", true}}), "x=0\ny\nx=2\n"},
      {"lineinfile", args({{"regexp", "^SELINUX="}, {"line", "SELINUX=permissive"}}), "SELINUX=enforcing\nSELINUXTYPE=targeted\n"},
      {"lineinfile", args({{"regexp", "^\\d+\\.\\d+\\.\\d+\\.\\d+\\s+node1$"}, {"line", "10.0.0.1 node1"}}),
       "127.0.0.1 localhost\n10.0.0.9 node1\n"},
      {"lineinfile", args({{"regexp", "^(a|b)=[^#]*$"}, {"line", "b=2"}}), "a=1 # keep\nb=1\nc=1\n"},
      {"lineinfile", args({{"regexp", "x{2,3}"}, {"line", "Y"}}), "x\nxx\nxxxx\n"},
      {"lineinfile", args({{"regexp", "\\bfoo\\b"}, {"line", "Y"}}), "xfoo\nfoo bar\nz\n"},
      {"lineinfile", args({{"regexp", "foo\\s"}, {"line", "Y"}}), "foo\nbar\n"},  // \s takes the line's "\n"
      {"lineinfile", args({{"regexp", "^x"}, {"line", "x=1"}}), "a\nb"},
      // Inserting: EOF, BOF, after/before the last match, no newline at the end, CRLF lines.
      {"lineinfile", args({{"line", "new"}}), "a\nb"},
      {"lineinfile", args({{"line", "new"}}), ""},
      {"lineinfile", args({{"line", "new"}, {"create", true}}), std::nullopt},
      {"lineinfile", args({{"line", "new"}, {"insertafter", "^a"}}), "a\nb\na\nc\n"},
      {"lineinfile", args({{"line", "new"}, {"insertafter", "^a"}, {"firstmatch", true}}), "a\nb\na\nc\n"},
      {"lineinfile", args({{"line", "new"}, {"insertbefore", "^a"}}), "a\nb\na\nc\n"},
      {"lineinfile", args({{"line", "new"}, {"insertbefore", "BOF"}}), "a\nb\n"},
      {"lineinfile", args({{"line", "new"}, {"insertafter", "^zzz"}}), "a\nb\n"},
      {"lineinfile", args({{"line", "new"}, {"insertafter", "^b"}}), "a\nb"},  // Ansible glues it to "b"
      {"lineinfile", args({{"line", "b"}}), "a\nb\r\nc\n"},
      {"lineinfile", args({{"regexp", "^b"}, {"line", "b"}}), "a\nb\r\nc\n"},
      {"lineinfile", args({{"search_string", "Root"}, {"line", "PermitRootLogin no"}}), kSshd},
      {"lineinfile", args({{"state", "absent"}, {"regexp", "^#"}}), "#a\nb\n#c\n"},
      {"lineinfile", args({{"state", "absent"}, {"line", "b"}}), "a\nb\nb\r\nc"},
      {"lineinfile", args({{"state", "absent"}, {"search_string", "Root"}}), kSshd},
      {"lineinfile", args({{"regexp", "^(\\w+)=(\\d+)$"}, {"line", "\\2=\\1"}, {"backrefs", true}}), "ab=12\ncd=34\nx\n"},
      {"lineinfile", args({{"regexp", "^(GRUB_CMDLINE_LINUX=\".*)\"$"}, {"line", "\\1 quiet\""}, {"backrefs", true}}),
       "GRUB_CMDLINE_LINUX=\"rhgb\"\nX=1\n"},
      {"lineinfile", args({{"regexp", "^nomatch"}, {"line", "zz"}, {"backrefs", true}}), "ab=12\n"},
      // replace: every match, MULTILINE anchors, groups, sections.
      {"replace", args({{"regexp", "^([^#].*\\sswap\\s.*)$"}, {"replace", "# \\1"}}), kFstab},
      {"replace", args({{"regexp", "^SELINUX=.*"}, {"replace", "SELINUX=permissive"}}), "SELINUX=enforcing\nSELINUXTYPE=targeted\n"},
      {"replace", args({{"regexp", "^(\\s*)#?Permit.*$"}, {"replace", "PermitRootLogin no"}}), "a\n\n#Permit yes\nlast\n"},
      {"replace", args({{"regexp", "\\n\\n+"}, {"replace", "\\n"}}), "a\n\n\nb\n\n"},
      {"replace", args({{"regexp", "\\s+$"}, {"replace", ""}}), "a  \nb\t\n"},
      {"replace", args({{"regexp", "^"}, {"replace", "# "}}), "a\nb\n"},
      {"replace", args({{"regexp", "(?P<k>\\w+)=(?P<v>\\w+)"}, {"replace", "\\g<v>:\\g<k>"}}), "a=b c=d\n"},
      {"replace", args({{"regexp", "\"(.*?)\""}, {"replace", "'\\1'"}}), "a=\"x\" b=\"y\"\n"},
      {"replace", args({{"regexp", "\\bcat\\b"}, {"replace", "dog"}}), "cat concat cat.\n"},
      {"replace", args({{"regexp", "a"}, {"replace", "&\\\\"}}), "a\n"},
      {"replace", args({{"regexp", "foo"}, {"replace", "bar"}}), "foo"},
      {"replace", args({{"regexp", "x"}, {"replace", "y"}, {"after", "START"}}), "x\nSTART\nx\nx\n"},
      {"replace", args({{"regexp", "x"}, {"replace", "y"}, {"before", "STOP"}}), "x\nSTOP\nx\nSTOP\nx\n"},
      {"replace", args({{"regexp", "x"}, {"replace", "y"}, {"after", "START"}, {"before", "STOP"}}), "x\nSTART\nx\nSTOP\nx\nSTOP\n"},
      {"replace", args({{"regexp", "^x"}, {"replace", "y"}, {"after", "START"}}), "x\nSTARTx\nx\n"},
      {"replace", args({{"regexp", "x"}, {"replace", "y"}, {"after", "NOPE"}}), "x\n"},
      // blockinfile: insert, update in place, remove, markers, positions.
      {"blockinfile", args({{"block", "a=1\nb=2"}}), "x\ny\n"},
      {"blockinfile", args({{"block", "a=1\nb=2"}}), "x\ny"},
      {"blockinfile", args({{"block", "a=1\nb=2"}, {"create", true}}), std::nullopt},
      {"blockinfile", args({{"block", "a=9"}}), "x\n" + kM0 + "a=1\nb=2\n" + kM1 + "y\n"},
      {"blockinfile", args({{"block", "a=9"}}), "x\n" + kM1 + "old\n" + kM0 + "y\n"},
      {"blockinfile", args({{"state", "absent"}}), "x\n" + kM0 + "a=1\n" + kM1 + "y\n"},
      {"blockinfile", args({{"state", "absent"}}), "x\ny"},  // Ansible adds the missing newline
      {"blockinfile", args({{"block", "a=1"}, {"insertafter", "^x"}}), "x\ny\nx\nz\n"},
      {"blockinfile", args({{"block", "a=1"}, {"insertbefore", "^x"}}), "x\ny\nx\nz\n"},
      {"blockinfile", args({{"block", "a=1"}, {"insertbefore", "BOF"}}), "x\ny\n"},
      {"blockinfile", args({{"block", "a=1"}, {"insertbefore", "^\\[other\\]"}}), "[main]\nx=1\n[other]\ny\n"},
      {"blockinfile", args({{"block", "a=1"}, {"marker", "<!-- {mark} -->"}}), "<a/>\n"},
      {"blockinfile", args({{"block", "a=1"}, {"marker", "# {mark} k8s"}, {"marker_begin", "START"}, {"marker_end", "STOP"}}), "q\n"},
  };
  return cases;
}

struct Verdict {
  bool failed = false;
  bool changed = false;  // first run
  bool again = false;    // second run changed
  std::optional<std::string> content;
};

// Ansible's verdicts, from one local ansible-playbook run doing each case twice.
std::optional<std::vector<Verdict>> ansible_verdicts(const std::vector<Case>& cases) {
  if (testing::shell("command -v ansible-playbook >/dev/null") != 0) return std::nullopt;
  char dir_template[] = "/tmp/fleetk8s-ansible-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  Value::Array tasks;
  std::string report;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string file = dir + "/case-" + std::to_string(i), n = std::to_string(i);
    if (cases[i].content) std::ofstream(file, std::ios::binary) << *cases[i].content;
    Value::Object a = cases[i].args;
    a["path"] = file;
    for (const char* reg : {"r", "q"}) {
      Value::Object task;
      task[cases[i].module] = a;
      task["ignore_errors"] = true;
      task["register"] = reg + n;
      tasks.push_back(std::move(task));
    }
    report += n + " {{ r" + n + ".failed | default(false) }} {{ r" + n + ".changed | default(false) }} {{ q" + n +
              ".changed | default(false) }}\n";
  }
  tasks.push_back(Value::Object{{"copy", Value::Object{{"dest", dir + "/verdicts"}, {"content", report}}}});
  Value play = Value::Array{Value::Object{{"hosts", "localhost"}, {"gather_facts", false}, {"tasks", tasks}}};
  std::ofstream(dir + "/play.yml") << play.to_json(2);
  REQUIRE(testing::shell("ansible-playbook -i localhost, -c local " + dir + "/play.yml >" + dir + "/log 2>&1") == 0);
  std::vector<Verdict> out(cases.size());
  std::istringstream lines(read_file(dir + "/verdicts").value_or(""));
  std::string n, failed, changed, again;
  while (lines >> n >> failed >> changed >> again) {
    Verdict& v = out.at(std::stoul(n));
    v.failed = failed == "True";
    v.changed = changed == "True";
    v.again = again == "True";
    v.content = read_file(dir + "/case-" + n);
  }
  testing::shell("rm -rf " + dir);
  return out;
}

// Ours, on `host`: every case twice in one session, then the files.
std::vector<Verdict> our_verdicts(const std::string& host, const std::vector<Case>& cases) {
  const std::string dir = "/var/tmp/fleetk8s-text-compare";
  std::vector<Step> steps = {sh("rm -rf " + dir + " && mkdir -p " + dir)};
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string file = dir + "/case-" + std::to_string(i);
    if (cases[i].content) steps.push_back({"copy", args({{"dest", file}, {"content", *cases[i].content}}), {}});
    steps.push_back(with_path(cases[i].module, cases[i].args, "path", file));
    steps.push_back(with_path(cases[i].module, cases[i].args, "path", file));
  }
  steps.push_back(sh("cd " + dir + " && for f in case-*; do echo \"${f#case-} $(base64 -w0 < \"$f\")\"; done"));
  auto o = run_steps(host, steps);
  std::vector<Verdict> out(cases.size());
  size_t k = 1;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].content) ++k;
    out[i].failed = o[k].failed;
    out[i].changed = o[k].changed;
    out[i].again = o[k + 1].changed;
    k += 2;
  }
  std::istringstream lines(o.back().result["stdout"].to_display());
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    out.at(std::stoul(line.substr(0, space))).content = base64_decode(line.substr(space + 1));
  }
  return out;
}

std::string show(const std::optional<std::string>& s) {
  if (!s) return "(missing)";
  std::string out = "\"";
  for (char c : *s) out += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : c == '\t' ? std::string("\\t") : std::string(1, c);
  return out + "\"";
}

}  // namespace

TEST_CASE("lineinfile, replace and blockinfile leave files as Ansible does", "[textmodules][ansible]") {
  const auto& cases = ansible_cases();
  auto theirs = ansible_verdicts(cases);
  if (!theirs) {
    WARN("ansible-playbook is not installed: the comparison with Ansible is skipped");
    return;
  }
  auto ours = our_verdicts("worker01", cases);
  for (size_t i = 0; i < cases.size(); ++i) {
    Value::Object shown = cases[i].args;
    INFO("case " << i << ": " << cases[i].module << " " << Value(shown).to_json() << " on " << show(cases[i].content));
    INFO("ansible: " << show((*theirs)[i].content) << " changed " << (*theirs)[i].changed << "/" << (*theirs)[i].again);
    INFO("ours:    " << show(ours[i].content) << " changed " << ours[i].changed << "/" << ours[i].again);
    CHECK(ours[i].failed == (*theirs)[i].failed);
    if ((*theirs)[i].failed) continue;
    CHECK(ours[i].content == (*theirs)[i].content);
    CHECK(ours[i].changed == (*theirs)[i].changed);
    CHECK(ours[i].again == (*theirs)[i].again);
  }
}

TEST_CASE("lineinfile converges; check mode and diff leave the file alone", "[textmodules]") {
  const std::string f = "/etc/ssh/fleetk8s-lineinfile-test.conf";
  const auto a = args({{"path", f}, {"regexp", "^#?PermitRootLogin"}, {"line", "PermitRootLogin no"},
                       {"insertafter", "^Port"}, {"mode", "0600"}});
  const Step sum = sh("sha1sum < " + f + "; stat -c %a " + f);
  auto o = run_steps("worker01", {
                                     sh("mkdir -p /etc/ssh; rm -f " + f + "*; printf 'Port 22\\nUsePAM yes\\n' > " + f),
                                     sum,
                                     {"lineinfile", a, {true, true}},
                                     sum,
                                     {"lineinfile", a, {false, true}},
                                     {"lineinfile", a, {}},
                                     {"lineinfile", a, {true, false}},
                                     {"lineinfile", args({{"path", f}, {"line", "UsePAM yes"}, {"state", "absent"}}), {true, true}},
                                     sh("cat " + f + "; stat -c %a " + f + "; ls -a /etc/ssh | grep -c fleetk8s.tmp || true"),
                                 });
  CHECK(o[2].changed);
  CHECK(o[2].diff == "--- before: " + f + "\n+++ after: " + f + "\n@@ -1,2 +1,3 @@\n Port 22\n+PermitRootLogin no\n UsePAM yes\n");
  CHECK(o[3].result["stdout"] == o[1].result["stdout"]);  // check mode touched nothing
  CHECK(o[4].changed);
  CHECK_THAT(o[4].diff, Catch::Contains("+PermitRootLogin no"));
  CHECK_FALSE(o[5].changed);
  CHECK_FALSE(o[6].changed);
  CHECK(o[7].changed);
  CHECK_THAT(o[7].diff, Catch::Contains("-UsePAM yes"));
  CHECK(o[8].result["stdout"] == Value("Port 22\nPermitRootLogin no\nUsePAM yes\n600\n0"));
}

TEST_CASE("lineinfile creates files and directories, writes through links and backs up", "[textmodules]") {
  const std::string d = "/var/tmp/fleetk8s-lineinfile-create";
  auto o = run_steps("worker02", {
      sh("rm -rf " + d + " && mkdir -p " + d + "/real && printf 'a=1\\n' > " + d + "/real/x.conf && ln -s real/x.conf " + d + "/link"),
      {"lineinfile", args({{"path", d + "/new/sub/y.conf"}, {"line", "y=1"}, {"create", true}}), {true, false}},
      sh("test -e " + d + "/new && echo made || echo absent"),
      {"lineinfile", args({{"path", d + "/new/sub/y.conf"}, {"line", "y=1"}, {"create", true}}), {}},
      {"lineinfile", args({{"path", d + "/nope.conf"}, {"line", "y=1"}}), {}},
      {"lineinfile", args({{"path", d + "/link"}, {"regexp", "^a="}, {"line", "a=2"}, {"backup", true}}), {}},
      sh("cd " + d + " && cat new/sub/y.conf real/x.conf && test -L link && echo link && ls real | grep -c '^x.conf\\..*~$'"),
  });
  CHECK(o[1].changed);
  CHECK(o[2].result["stdout"] == Value("absent"));  // check mode made no directory
  CHECK(o[3].changed);
  CHECK(o[4].failed);
  CHECK(o[4].msg == "Destination " + d + "/nope.conf does not exist !");
  CHECK(o[5].changed);
  CHECK(o[6].result["stdout"] == Value("y=1\na=2\nlink\n1"));
}

TEST_CASE("replace converges, also between after and before; check mode changes nothing", "[textmodules]") {
  const std::string f = "/etc/fleetk8s-replace-test.fstab";
  const auto comment_swap = args({{"path", f}, {"regexp", "^([^#].*\\sswap\\s.*)$"}, {"replace", "# \\1"}});
  auto o = run_steps("worker02", {
      {"copy", args({{"dest", f}, {"content", kFstab}}), {}},
      {"replace", comment_swap, {true, true}},
      sh("cat " + f),
      {"replace", comment_swap, {}},
      {"replace", comment_swap, {}},
      {"replace", args({{"path", f}, {"regexp", "none"}, {"replace", "NONE"}, {"after", "rl-swap"}}), {false, true}},
      {"replace", args({{"path", f}, {"regexp", "zzz"}}), {}},
      {"replace", args({{"path", f + ".missing"}, {"regexp", "x"}}), {}},
      sh("cat " + f),
  });
  CHECK(o[1].changed);
  CHECK_THAT(o[1].diff, Catch::Contains("-/dev/mapper/rl-swap none swap defaults 0 0") &&
                            Catch::Contains("+# /dev/mapper/rl-swap none swap defaults 0 0"));
  CHECK(o[2].result["stdout"] == Value(kFstab.substr(0, kFstab.size() - 1)));
  CHECK(o[3].changed);
  CHECK_FALSE(o[4].changed);
  CHECK(o[5].changed);
  CHECK_FALSE(o[6].changed);
  CHECK(o[7].failed);
  CHECK(o[7].msg == "Path " + f + ".missing does not exist !");
  CHECK(o[8].result["stdout"] ==
        Value("UUID=1 / xfs defaults 0 0\n# /dev/mapper/rl-swap NONE swap defaults 0 0\n#/dev/sdb2 NONE swap sw 0 0"));
}

TEST_CASE("blockinfile inserts, updates and removes its block; check mode changes nothing", "[textmodules]") {
  const std::string f = "/etc/fleetk8s-blockinfile-test.conf";
  auto block = [&](const std::string& text, modules::RunMode mode = {}) {
    return Step{"blockinfile", args({{"path", f}, {"block", text}, {"insertbefore", "^\\[other\\]"}}), mode};
  };
  auto o = run_steps("worker03", {
      {"copy", args({{"dest", f}, {"content", "[main]\nx=1\n[other]\ny=2\n"}}), {}},
      block("a=1\nb=2", {true, true}),
      sh("cat " + f),
      block("a=1\nb=2"),
      block("a=1\nb=2"),
      block("a=1\nb=3", {false, true}),
      {"blockinfile", args({{"path", f}, {"state", "absent"}}), {}},
      {"blockinfile", args({{"path", f}, {"state", "absent"}}), {}},
      sh("cat " + f),
  });
  CHECK(o[1].changed);
  CHECK_THAT(o[1].diff, Catch::Contains("+# BEGIN ANSIBLE MANAGED BLOCK\n+a=1\n+b=2\n+# END ANSIBLE MANAGED BLOCK\n [other]"));
  CHECK(o[2].result["stdout"] == Value("[main]\nx=1\n[other]\ny=2"));
  CHECK(o[3].changed);
  CHECK_FALSE(o[4].changed);
  CHECK(o[5].changed);
  CHECK_THAT(o[5].diff, Catch::Contains("-b=2\n+b=3"));
  CHECK(o[6].changed);
  CHECK_FALSE(o[7].changed);
  CHECK(o[8].result["stdout"] == Value("[main]\nx=1\n[other]\ny=2"));
}

TEST_CASE("stat registers Ansible's fields", "[textmodules]") {
  const std::string d = "/var/tmp/fleetk8s-stat-test";
  auto o = run_steps("cp1", {
      sh("rm -rf " + d + " && mkdir -p " + d + " && printf 'hello\\n' > " + d + "/f && chmod 0640 " + d +
         "/f && ln -s f " + d + "/l && sha1sum < " + d + "/f && sha256sum < " + d + "/f"),
      {"stat", args({{"path", d + "/f"}}), {}},
      {"stat", args({{"path", d + "/l"}}), {}},
      {"stat", args({{"path", d + "/l"}, {"follow", true}, {"checksum_algorithm", "sha256"}}), {}},
      {"stat", args({{"path", d}}), {}},
      {"stat", args({{"path", d + "/missing"}}), {true, false}},
  });
  std::istringstream sums(o[0].result["stdout"].to_display());
  std::string sha1, dash, sha256;
  sums >> sha1 >> dash >> sha256;
  for (size_t i = 1; i < o.size(); ++i) {
    CHECK_FALSE(o[i].changed);
    CHECK_FALSE(o[i].failed);
  }
  Value f = o[1].result["stat"];
  CHECK(f["exists"] == Value(true));
  CHECK(f["path"] == Value(d + "/f"));
  CHECK(f["mode"] == Value("0640"));
  CHECK(f["isreg"] == Value(true));
  CHECK(f["islnk"] == Value(false));
  CHECK(f["size"] == Value(6));
  CHECK(f["uid"] == Value(0));
  CHECK(f["pw_name"] == Value("root"));
  CHECK(f["gr_name"] == Value("root"));
  CHECK(f["checksum"] == Value(sha1));
  CHECK(f["roth"] == Value(false));
  CHECK(f["rgrp"] == Value(true));
  CHECK(f["mtime"].is_double());
  CHECK(f["mtime"].as_double() > 1.6e9);
  Value l = o[2].result["stat"];
  CHECK(l["islnk"] == Value(true));
  CHECK(l["lnk_target"] == Value("f"));
  CHECK(l["lnk_source"] == Value(d + "/f"));
  CHECK(l.find("checksum") == nullptr);
  Value followed = o[3].result["stat"];
  CHECK(followed["isreg"] == Value(true));
  CHECK(followed["checksum"] == Value(sha256));
  CHECK(o[4].result["stat"]["isdir"] == Value(true));
  CHECK(o[5].result["stat"] == Value(Value::Object{{"exists", false}}));
}

TEST_CASE("get_url downloads once, keeps an existing file and checks checksums", "[textmodules]") {
  if (shell_out("worker01", "curl -fsS file:///etc/hostname >/dev/null 2>&1 && echo yes || echo no") != "yes") {
    WARN("the hosts' curl cannot read file:// URLs: get_url is not tested");
    return;
  }
  const std::string d = "/var/tmp/fleetk8s-get-url-test";
  const std::string url = "file://" + d + "/src.txt";
  auto get = [&](Value::Object extra, modules::RunMode mode = {}) {
    extra["url"] = url;
    if (!extra.count("dest")) extra["dest"] = d + "/out.txt";
    return Step{"get_url", std::move(extra), mode};
  };
  auto o = run_steps("worker01", {
      sh("rm -rf " + d + " && mkdir -p " + d + "/dir && printf 'one\\n' > " + d + "/src.txt"),
      get(args({}), {true, false}),
      get(args({{"mode", "0600"}})),
      get(args({{"mode", "0600"}})),
      sh("printf 'two\\n' > " + d + "/src.txt"),
      get(args({})),                                  // force=no: the file stays
      get(args({{"force", true}})),                   // now it is replaced
      get(args({{"force", true}})),
      get(args({{"checksum", "sha256:0000"}, {"dest", d + "/other.txt"}})),
      get(args({{"dest", d + "/dir"}})),
      {"get_url", args({{"url", "file://" + d + "/nope"}, {"dest", d + "/x"}}), {}},
      sh("cd " + d + " && cat out.txt dir/src.txt && stat -c %a out.txt && ls -a | grep -c fleetk8s.tmp; test -e other.txt || echo no-other"),
  });
  CHECK(o[1].changed);
  CHECK(o[2].changed);
  CHECK_FALSE(o[3].changed);
  CHECK_FALSE(o[5].changed);
  CHECK(o[6].changed);
  CHECK_FALSE(o[7].changed);
  CHECK(o[8].failed);
  CHECK_THAT(o[8].msg, Catch::Contains("did not match 0000"));
  CHECK(o[9].changed);
  CHECK(o[10].failed);
  CHECK_THAT(o[10].msg, Catch::Contains("Request failed: file://"));
  CHECK(o[11].result["stdout"] == Value("two\ntwo\n600\n0\nno-other"));
}

TEST_CASE("get_url fetches a known URL through the hosts' curl", "[textmodules]") {
  const std::string url = "https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key";
  const std::string dest = "/etc/pki/rpm-gpg/fleetk8s-test-kubernetes.key";
  auto o = run_steps("worker02", {
      sh("mkdir -p /etc/pki/rpm-gpg; rm -f " + dest),
      {"get_url", args({{"url", url}, {"dest", dest}, {"mode", "0644"}}), {}},
      {"get_url", args({{"url", url}, {"dest", dest}, {"mode", "0644"}}), {}},
      {"get_url", args({{"url", "https://pkgs.k8s.io/no/such/file"}, {"dest", dest + ".2"}}), {}},
      sh("head -1 " + dest),
  });
  if (o[1].failed) {
    WARN("the hosts' curl could not fetch " << url << ": " << o[1].msg);
    return;
  }
  CHECK(o[1].changed);
  CHECK_FALSE(o[2].changed);
  CHECK(o[3].failed);
  CHECK(o[4].result["stdout"] == Value("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
}

TEST_CASE("wait_for waits for files and ports and times out like Ansible", "[textmodules]") {
  const auto host = sandbox_host("worker03");
  const std::string f = "/var/tmp/fleetk8s-wait-for-test";
  const std::string port = std::to_string(host.port);
  auto o = run_steps("worker03", {
      sh("rm -f " + f + "; (sleep 2; echo 'state: ready' > " + f + ") >/dev/null 2>&1 &"),
      {"wait_for", args({{"path", f}, {"search_regex", "^state:\\s+ready$"}, {"timeout", 15}}), {}},
      {"wait_for", args({{"host", host.address}, {"port", host.port}, {"timeout", 5}}), {}},
      {"wait_for", args({{"host", host.address}, {"port", host.port}, {"search_regex", "^SSH-2\\.0"}, {"timeout", 5}}), {}},
      {"wait_for", args({{"host", "127.0.0.1"}, {"port", 1}, {"timeout", 2}}), {}},
      {"wait_for", args({{"host", "127.0.0.1"}, {"port", 1}, {"state", "stopped"}, {"timeout", 2}}), {}},
      {"wait_for", args({{"path", f}, {"state", "absent"}, {"timeout", 1}}), {}},
      {"wait_for", args({{"path", f + ".never"}, {"timeout", 1}, {"msg", "never came"}}), {}},
      {"wait_for", args({{"port", 1}}), {true, false}},
  });
  CHECK_FALSE(o[1].failed);
  CHECK_FALSE(o[1].changed);
  CHECK(o[1].result["elapsed"].as_int() >= 1);
  CHECK_FALSE(o[2].failed);
  CHECK_FALSE(o[3].failed);
  CHECK(o[4].failed);
  CHECK(o[4].msg == "Timeout when waiting for 127.0.0.1:1");
  CHECK_FALSE(o[5].failed);
  CHECK(o[6].failed);
  CHECK(o[6].msg == "Timeout when waiting for " + f + " to be absent.");
  CHECK(o[7].msg == "never came");
  CHECK(o[8].skipped);
}
