// Values that reach a host: every one arrives as a single-quoted word or an
// environment variable, never as shell, awk or sed program text; commands
// get `--` before their operands; names are checked with an error naming
// the argument; files are written private and get their mode and owner
// before they are moved into place. (The same values run on real hosts in
// tests/security/modules_hostile_test.cpp.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>

#include "fleetk8s/modules/module.h"
#include "module_test_util.h"

using namespace fleetk8s;
using namespace fleetk8s::modules;
using modules::testing::args;
using modules::testing::error;
using modules::testing::script;

namespace {




// Where `needle` occurs in `s` outside single quotes (and outside a quoted
// here-document): text the host's shell would read as code. Knows sh's
// quoting: '...', "...", backslash, <<'EOF'.
std::vector<size_t> unquoted(const std::string& s, const std::string& needle) {
  std::vector<bool> quoted(s.size(), false);
  enum { kOut, kSingle, kDouble } st = kOut;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (st == kSingle) {
      quoted[i] = true;
      if (c == '\'') st = kOut;
      continue;
    }
    if (c == '\\') {
      ++i;
      continue;
    }
    if (st == kDouble) {
      if (c == '"') st = kOut;
      continue;
    }
    if (c == '\'') {
      st = kSingle;
    } else if (c == '"') {
      st = kDouble;
    } else if (s.compare(i, 3, "<<'") == 0) {
      const size_t close = s.find('\'', i + 3);
      const std::string tag = s.substr(i + 3, close - i - 3);
      const size_t body = s.find('\n', close) + 1;
      const size_t end = s.find("\n" + tag + "\n", body - 1);
      for (size_t k = body; k < end && k < s.size(); ++k) quoted[k] = true;
      i = end;
    }
  }
  std::vector<size_t> out;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1))
    if (!quoted[at]) out.push_back(at);
  return out;
}

// The words of a command line, split as sh splits them (quotes kept).
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  char q = 0;
  for (char c : line) {
    if (q) {
      cur += c;
      if (c == q) q = 0;
    } else if (c == '\'' || c == '"') {
      q = c;
      cur += c;
    } else if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The commands in `s` that take an operand from a value (a quoted word or
// "$var") without a `--` before it.
std::vector<std::string> missing_double_dash(const std::string& s) {
  static const std::regex command(
      R"((\n|[;&|({`]|\$\(|then |else |do )\s*(rm|mkdir|ln|chmod|chown|chgrp|mv|cp|touch|readlink|systemctl|modprobe|curl|sysctl|dnf|rpm|mktemp|cmp|stat|sed|grep|cat)( [^;&|\n)`]*))");
  // Options whose value is the next word, per command.
  static const std::map<std::string, std::vector<std::string>> takes_value = {
      {"sed", {"-e", "-f"}}, {"grep", {"-e", "-f"}}, {"stat", {"-c", "--printf"}}, {"curl", {"-o", "--connect-timeout"}},
      {"rpm", {"--qf"}},     {"mktemp", {"-p"}}};
  std::vector<std::string> bad;
  const std::string text = "\n" + s;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), command); it != std::sregex_iterator(); ++it) {
    const auto w = words((*it)[3]);
    const auto values = takes_value.find((*it)[2].str());
    for (size_t i = 0; i < w.size(); ++i) {
      if (w[i] == "--") break;
      if (w[i][0] == '>' || w[i][0] == '<' || w[i].rfind("2>", 0) == 0) {
        if (w[i].find_first_not_of("<>2&") == std::string::npos) ++i;  // the target is the next word
        continue;
      }
      if (w[i][0] == '-') {
        if (values != takes_value.end() && std::find(values->second.begin(), values->second.end(), w[i]) != values->second.end()) ++i;
        continue;
      }
      if (w[i].find_first_of("\"'$") != std::string::npos) {
        bad.push_back((*it)[2].str() + (*it)[3].str());
        break;
      }
    }
  }
  return bad;
}

const std::string kCanary = "$(touch /tmp/canary)";

}  // namespace

TEST_CASE("owner and group are checked names and reach the host quoted") {
  for (const char* module : {"file", "copy", "lineinfile", "blockinfile", "replace", "yum_repository"}) {
    INFO(module);
    Value::Object a = args({{"path", "/etc/x"}, {"dest", "/etc/x"}, {"content", "x"}, {"line", "x"},
                            {"block", "x"}, {"regexp", "x"}, {"replace", "y"}, {"name", "x"},
                            {"description", "X"}, {"baseurl", "http://x/"}});
    for (const char* key : {"owner", "group"}) {
      Value::Object hostile = a;
      hostile[key] = "$(id>/tmp/p)";
      CHECK_THAT(error(module, hostile), Catch::Contains(key));
      hostile[key] = "-root";
      CHECK_THAT(error(module, hostile), Catch::Contains(key));
      hostile[key] = "root bin";
      CHECK_THAT(error(module, hostile), Catch::Contains(key));
    }
    Value::Object fine = a;
    fine["owner"] = "kube-apiserver";
    fine["group"] = "1000";
    const std::string s = script(module, fine);
    CHECK(unquoted(s, "kube-apiserver").empty());
    CHECK(unquoted(s, "1000").empty());
  }
}

TEST_CASE("files are written under umask 077 to a mktemp file that gets mode and owner before the move") {
  const std::string s =
      script("copy", args({{"dest", "/etc/kubernetes/join.yaml"}, {"content", "token: abc\n"}, {"mode", "0600"},
                           {"owner", "root"}}));
  CHECK(s.rfind("umask 077\n", 0) == 0);
  CHECK_THAT(s, Catch::Contains("mktemp"));
  CHECK_THAT(s, !Catch::Contains("chmod 0644 \"$fk_tmp\""));
  CHECK_THAT(s, !Catch::Contains(".fleetk8s.tmp.0"));  // no guessed names
  const size_t mv = s.find("mv -f");
  REQUIRE(mv != std::string::npos);
  const size_t chmod = s.find("chmod -- 0600 \"$fk_tmp\"");
  const size_t chown = s.find("chown -- \"$fk_owner\" \"$fk_tmp\"");
  CHECK(chmod < mv);
  CHECK(chown < chmod);  // chown may clear setuid bits: mode last
  // A new file without a mode still ends up 0644, set on the temp before the move.
  const std::string plain = script("copy", args({{"dest", "/etc/x.conf"}, {"content", "x"}}));
  CHECK(plain.find("chmod -- 0644 \"$fk_tmp\"") < plain.find("mv -f"));

  for (const char* module : {"lineinfile", "blockinfile", "replace"}) {
    INFO(module);
    const std::string t = script(module, args({{"path", "/etc/sudoers"}, {"line", "x"}, {"block", "x"}, {"regexp", "a"},
                                               {"replace", "b"}, {"mode", "0440"}, {"create", true}}));
    CHECK(t.rfind("umask 077\n", 0) == 0);
    CHECK_THAT(t, Catch::Contains("mktemp"));
    CHECK(t.find("chmod -- 0440 \"$fk_tmp\"") < t.find("mv -f"));
  }
  const std::vector<std::pair<const char*, Value::Object>> writers = {
      {"sysctl", args({{"name", "vm.swappiness"}, {"value", "1"}})},
      {"selinux", args({{"state", "permissive"}})},
      {"yum_repository", args({{"name", "k"}, {"description", "K"}, {"baseurl", "http://x/"}})},
      {"modprobe", args({{"name", "br_netfilter"}, {"persistent", "present"}})},
      {"get_url", args({{"url", "http://x/y"}, {"dest", "/etc/y"}})},
      {"file", args({{"path", "/etc/y"}, {"state", "touch"}})},
  };
  for (const auto& [module, a] : writers) {
    INFO(module);
    const std::string t = script(module, a);
    CHECK(t.rfind("umask 077\n", 0) == 0);
    CHECK_THAT(t, !Catch::Contains(".fleetk8s.tmp.0"));
  }
}

TEST_CASE("modprobe checks the module name and passes params as words") {
  for (const char* bad : {"*", "$(touch /tmp/canary)", "-r", "br netfilter", "../x", "a;b"}) {
    INFO(bad);
    CHECK_THAT(error("modprobe", args({{"name", bad}})), Catch::Contains("name"));
  }
  CHECK_THAT(error("modprobe", args({{"name", "x"}, {"params", "a=1 " + kCanary}})), Catch::Contains("params"));
  const std::string s = script("modprobe", args({{"name", "nf_conntrack"}, {"params", "hashsize=1 x=$(touch>/tmp/canary)"},
                                                 {"persistent", "present"}}));
  CHECK(unquoted(s, "touch").empty());
  CHECK(unquoted(s, "hashsize").empty());
  CHECK_THAT(s, Catch::Contains("modprobe -- \"$fk_m\""));
  CHECK(missing_double_dash(s).empty());
  CHECK_THAT(error("modprobe", args({{"name", "x"}, {"params", "a=1\ninstall x /bin/sh"}})), Catch::Contains("params"));
}

TEST_CASE("dnf checks package specs and passes them as words after --") {
  for (const char* bad : {"--installroot=/tmp", "-y", "kubelet; touch /tmp/x", "a b", "$(id)", "a|b", "`id`", "a&b"}) {
    INFO(bad);
    CHECK_THAT(error("dnf", args({{"name", Value::Array{bad}}})), Catch::Contains("name"));
  }
  for (const char* state : {"present", "absent", "latest"}) {
    const std::string s =
        script("dnf", args({{"name", Value::Array{"kubelet-1.30.*", "kubeadm", "containerd.io-1.6.4-3.1.el8"}},
                            {"state", state}}));
    INFO(s);
    CHECK_THAT(s, !Catch::Contains("$fk_todo"));
    CHECK(unquoted(s, "kubelet-1.30.").empty());
    CHECK(unquoted(s, "kubeadm").empty());
    CHECK(missing_double_dash(s).empty());
  }
}

TEST_CASE("sysctl checks the key, refuses newlines in the value and keeps both out of awk's program") {
  CHECK_THAT(error("sysctl", args({{"name", "-a"}, {"value", "1"}})), Catch::Contains("name"));
  CHECK_THAT(error("sysctl", args({{"name", "kernel.x y"}, {"value", "1"}})), Catch::Contains("name"));
  CHECK_THAT(error("sysctl", args({{"name", "a=b"}, {"value", "1"}})), Catch::Contains("name"));
  CHECK_THAT(error("sysctl", args({{"name", "vm.x"}, {"value", "1\nkernel.core_pattern=|/tmp/x"}})),
             Catch::Contains("value"));
  const std::string s = script("sysctl", args({{"name", "net.ipv4.ip_forward"}, {"value", "1\\nkernel.core_pattern=|/tmp/x"},
                                               {"sysctl_set", true}}));
  CHECK_THAT(s, !Catch::Contains("-v v="));
  CHECK_THAT(s, !Catch::Contains("-v k="));
  CHECK_THAT(s, Catch::Contains("sysctl -e -n -- \"$fk_k\""));
  CHECK(missing_double_dash(s).empty());
}

TEST_CASE("a regex that leaves sed no delimiter is refused, never spliced") {
  std::string every = "/#,@%!~:;=_";
  for (int c = 1; c < 32; ++c)
    if (c != '\n') every += static_cast<char>(c);
  CHECK_THAT(error("replace", args({{"path", "/f"}, {"regexp", every}, {"replace", "x"}})), Catch::Contains("delimiter"));
  CHECK_THAT(error("lineinfile", args({{"path", "/f"}, {"regexp", "(a)" + every}, {"line", "\\1"}, {"backrefs", true}})),
             Catch::Contains("delimiter"));
  // The sed program (which holds the replacement) reaches sed in a file, not on its command line.
  const std::string s = script("replace", args({{"path", "/f"}, {"regexp", "a"}, {"replace", "secret"}}));
  CHECK_THAT(s, !Catch::Contains("sed -E -e \"$fk_sed\""));
  CHECK_THAT(s, Catch::Contains("sed -E -f"));
  const std::string b = script("lineinfile", args({{"path", "/f"}, {"regexp", "(a)"}, {"line", "\\1secret"}, {"backrefs", true}}));
  CHECK_THAT(b, Catch::Contains("sed -E -f"));
  CHECK(unquoted(b, "secret").empty());
}

TEST_CASE("every command gets -- before the operands that come from arguments") {
  const std::vector<std::pair<const char*, Value::Object>> cases = {
      {"file", args({{"path", "/x"}, {"state", "absent"}})},
      {"file", args({{"path", "/x"}, {"state", "directory"}, {"mode", "0750"}, {"owner", "root"}, {"group", "root"}})},
      {"file", args({{"path", "/x"}, {"state", "directory"}, {"mode", "u=rwx,g=rx"}})},
      {"file", args({{"path", "/x"}, {"state", "touch"}})},
      {"file", args({{"path", "/x"}, {"src", "/y"}, {"state", "link"}})},
      {"file", args({{"path", "/x"}, {"src", "/y"}, {"state", "hard"}})},
      {"copy", args({{"dest", "/x"}, {"content", "x"}, {"backup", true}})},
      {"copy", args({{"dest", "/x"}, {"content", std::string("a\0b", 3)}})},
      {"lineinfile", args({{"path", "/x"}, {"line", "x"}, {"backup", true}, {"create", true}})},
      {"replace", args({{"path", "/x"}, {"regexp", "a"}, {"replace", "b"}})},
      {"blockinfile", args({{"path", "/x"}, {"block", "b"}})},
      {"systemd", args({{"name", "crio"}, {"state", "restarted"}, {"enabled", true}, {"masked", false}})},
      {"systemd", args({{"name", "crio"}, {"state", "stopped"}, {"enabled", false}, {"masked", true}})},
      {"modprobe", args({{"name", "br_netfilter"}, {"state", "absent"}, {"persistent", "absent"}})},
      {"get_url", args({{"url", "http://x/y"}, {"dest", "/x"}, {"checksum", "sha256:ab"}, {"backup", true}})},
      {"stat", args({{"path", "/x"}})},
      {"yum_repository", args({{"name", "k"}, {"state", "absent"}})},
      {"selinux", args({{"state", "permissive"}})},
      {"sysctl", args({{"name", "a.b"}, {"value", "1"}})},
  };
  for (const auto& [module, a] : cases) {
    for (bool check : {false, true}) {
      const std::string s = script(module, a, {check, true});
      INFO(module << (check ? " (check)" : "") << "\n" << s);
      CHECK(missing_double_dash(s) == std::vector<std::string>{});
    }
  }
}

TEST_CASE("systemd checks unit names and in check mode reports a missing unit as drift") {
  for (const char* bad : {"-crio", "crio;reboot", "crio service", "$(id)", "a/b", "*"}) {
    INFO(bad);
    CHECK_THAT(error("systemd", args({{"name", bad}})), Catch::Contains("name"));
  }
  CHECK(script("systemd", args({{"name", "getty@tty1.service"}})).size() > 0);
  CHECK(script("systemd", args({{"name", "dev-disk-by\\x2dlabel.swap"}})).size() > 0);
  const RunMode check{true, false};
  const std::string s = script("systemd", args({{"name", "crio"}, {"state", "started"}, {"enabled", true}}), check);
  CHECK_THAT(s, Catch::Contains("an earlier task would install it"));
  CommandResult r;
  r.exit_status = 100;
  r.out = "unit crio.service not found (an earlier task would install it)\n";
  const Outcome o = find_module("systemd")->interpret(r, args({{"name", "crio"}}), {true, true});
  CHECK(o.changed);
  CHECK_FALSE(o.failed);
  CHECK(o.msg == "unit crio.service not found (an earlier task would install it)");
  CHECK(o.diff.empty());
  // Outside check mode a missing unit still fails.
  CHECK_THAT(script("systemd", args({{"name", "crio"}, {"state", "started"}})),
             Catch::Contains("Could not find the requested service"));
}

TEST_CASE("the other modules check what they write into files and commands") {
  // yum_repository: an id or value that would open another section.
  CHECK_THAT(error("yum_repository", args({{"name", "x]\n[evil"}, {"description", "X"}, {"baseurl", "http://x/"}})),
             Catch::Contains("name"));
  CHECK_THAT(error("yum_repository", args({{"name", "x"}, {"description", "X"}, {"baseurl", "http://x/\n[evil]"}})),
             Catch::Contains("baseurl"));
  CHECK_THAT(error("yum_repository", args({{"name", "x"}, {"file", "../../etc/x"}, {"description", "X"},
                                           {"baseurl", "http://x/"}})),
             Catch::Contains("file"));
  // selinux: the policy is one word in the config file.
  CHECK_THAT(error("selinux", args({{"state", "permissive"}, {"policy", "targeted\nSELINUX=disabled"}})),
             Catch::Contains("policy"));
  // wait_for: the host is a host name or address.
  CHECK_THAT(error("wait_for", args({{"host", kCanary}, {"port", 22}})), Catch::Contains("host"));
  // get_url: the URL reaches curl after --.
  const std::string g = script("get_url", args({{"url", "-o/etc/passwd http://x/"}, {"dest", "/tmp/x"}}));
  CHECK_THAT(g, Catch::Contains("-- \"$fk_url\""));
  // NUL cannot travel in a shell word: refused, naming the argument.
  CHECK_THAT(error("lineinfile", args({{"path", "/f"}, {"line", std::string("a\0b", 3)}})), Catch::Contains("line"));
  CHECK_THAT(error("file", args({{"path", std::string("/a\0b", 4)}, {"state", "touch"}})), Catch::Contains("path"));
  CHECK_THAT(error("sysctl", args({{"name", "a.b"}, {"value", std::string("1\0", 2)}})), Catch::Contains("value"));
}
