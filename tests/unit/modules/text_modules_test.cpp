// lineinfile, replace, blockinfile, stat, get_url and wait_for: argument
// errors, the Python regex translation as it appears in the scripts, check
// mode, and how stat's output becomes the registered object. (The scripts
// run on real hosts in tests/integration/text_modules_test.cpp.)
#include <catch2/catch.hpp>

#include "fleetk8s/modules/module.h"
#include "module_test_util.h"

using namespace fleetk8s;
using namespace fleetk8s::modules;
using modules::testing::args;
using modules::testing::error;
using modules::testing::script;

namespace {




// The value of the shell assignment `name='...'` in `s` (single-quoted, as shell_quote() writes it).
std::string shell_value(const std::string& s, const std::string& name) {
  const size_t at = s.find(name + "='");
  REQUIRE(at != std::string::npos);
  std::string out;
  for (size_t i = at + name.size() + 2; i < s.size(); ++i) {
    if (s.compare(i, 4, "'\\''") == 0) {
      out += '\'';
      i += 3;
    } else if (s[i] == '\'') {
      break;
    } else {
      out += s[i];
    }
  }
  return out;
}

// What lineinfile hands awk for `regexp`.
std::string awk_regex(const std::string& regexp) {
  return shell_value(script("lineinfile", args({{"path", "/f"}, {"regexp", regexp}, {"line", "x"}})), "fk_re");
}

// replace's sed script for `regexp` and `replace`.
std::string sed_script(const std::string& regexp, const std::string& replace) {
  return shell_value(script("replace", args({{"path", "/f"}, {"regexp", regexp}, {"replace", replace}})), "fk_sed");
}

CommandResult ran(int rc, std::string out = "", std::string err = "") {
  CommandResult r;
  r.exit_status = rc;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

}  // namespace

TEST_CASE("the text, stat, get_url and wait_for modules are registered") {
  for (const char* m : {"lineinfile", "replace", "blockinfile", "stat", "get_url", "wait_for"}) {
    CHECK(find_module(m) != nullptr);
  }
}

TEST_CASE("text modules reject bad arguments with Ansible's words") {
  CHECK(error("lineinfile", args({{"path", "/f"}})) == "lineinfile: line is required with state=present");
  CHECK(error("lineinfile", args({{"path", "/f"}, {"state", "absent"}})) ==
        "lineinfile: one of line, search_string, or regexp is required with state=absent");
  CHECK(error("lineinfile", args({{"path", "/f"}, {"line", "x"}, {"backrefs", true}})) ==
        "lineinfile: regexp is required with backrefs=true");
  CHECK(error("lineinfile", args({{"line", "x"}})) == "lineinfile: path is required");
  CHECK(error("lineinfile", args({{"path", "/f"}, {"line", "x"}, {"state", "gone"}})) ==
        "lineinfile: state must be one of: present, absent; got \"gone\"");
  CHECK(error("lineinfile", args({{"path", "/f"}, {"line", "x"}, {"regexp", "(a"}})) ==
        "lineinfile: regexp: missing ), unterminated subpattern at position 0");
  CHECK(error("lineinfile", args({{"path", "/f"}, {"line", "x"}, {"insertafter", "[a"}})) ==
        "lineinfile: insertafter: unterminated character set at position 0");
  CHECK(error("replace", args({{"path", "/f"}})) == "replace: regexp is required");
  CHECK(error("replace", args({{"path", "/f"}, {"regexp", "(a)"}, {"replace", "\\2"}})) ==
        "replace: replace: invalid group reference 2");
  CHECK(error("replace", args({{"path", "/f"}, {"regexp", "a"}, {"replace", "\\q"}})) == "replace: replace: bad escape \\q");
  CHECK(error("blockinfile", args({{"path", "/f"}, {"insertafter", "a"}, {"insertbefore", "b"}})) ==
        "blockinfile: parameters are mutually exclusive: insertbefore|insertafter");
  CHECK(error("stat", args({})) == "stat: path is required");
  CHECK_THAT(error("stat", args({{"path", "/f"}, {"checksum_algorithm", "crc"}})), Catch::Contains("must be one of"));
  CHECK(error("get_url", args({{"url", "http://x/a"}, {"dest", "/a"}, {"checksum", "abc"}})) ==
        "get_url: The checksum parameter has to be in format <algorithm>:<checksum>");
  CHECK(error("get_url", args({{"url", "http://x/a"}, {"dest", "/a"}, {"checksum", "sha256:xyz"}})) ==
        "get_url: The checksum format is invalid");
  CHECK_THAT(error("get_url", args({{"url", "http://x/a"}, {"dest", "/a"}, {"checksum", "sha256:http://x/SUMS"}})),
             Catch::Contains("not supported"));
  CHECK(error("wait_for", args({{"port", 22}, {"path", "/f"}})) ==
        "wait_for: port and path parameter can not both be passed to wait_for");
  CHECK(error("wait_for", args({{"path", "/f"}, {"state", "stopped"}})) ==
        "wait_for: state=stopped should only be used for checking a port in the wait_for module");
  CHECK(error("wait_for", args({{"port", 22}, {"state", "drained"}})) == "wait_for: state=drained is not supported");
}

TEST_CASE("Python regexes the translation refuses, with the reason") {
  auto refused = [](const std::string& re) {
    return error("lineinfile", args({{"path", "/f"}, {"line", "x"}, {"regexp", re}}));
  };
  CHECK_THAT(refused("(?=a)"), Catch::Contains("lookahead assertions"));
  CHECK_THAT(refused("(?<!a)b"), Catch::Contains("lookbehind assertions"));
  CHECK_THAT(refused("(?i)abc"), Catch::Contains("inline flags"));
  CHECK_THAT(refused("(a)\\1"), Catch::Contains("backreferences inside the pattern"));
  CHECK_THAT(refused("a\\Bb"), Catch::Contains("\\B is not supported"));
  CHECK_THAT(refused("-\\b-"), Catch::Contains("\\b is only supported"));
  CHECK_THAT(refused("a**"), Catch::Contains("multiple repeat"));
  CHECK_THAT(refused("*a"), Catch::Contains("nothing to repeat"));
  CHECK_THAT(refused("a\\q"), Catch::Contains("bad escape \\q"));
  CHECK_THAT(refused("[z-a]"), Catch::Contains("bad character range"));
  CHECK_THAT(refused("a)"), Catch::Contains("unbalanced parenthesis"));
  CHECK_THAT(refused("a{3,2}"), Catch::Contains("min repeat greater than max repeat"));
  CHECK_THAT(refused("x{300}"), Catch::Contains("too large"));
  // replace needs the match's extent: a lazy quantifier must end the pattern or precede its last character.
  CHECK_THAT(error("replace", args({{"path", "/f"}, {"regexp", "a.*?bc"}})), Catch::Contains("lazy quantifiers"));
  CHECK_THAT(error("replace", args({{"path", "/f"}, {"regexp", "[é]"}})), Catch::Contains("non-ASCII"));
}

TEST_CASE("Python regexes become awk EREs that mawk and gawk read alike") {
  // A line is matched with its "\n", as Python's re.search(line) sees it:
  // "." and "$" must not take the newline, "\s" and [^...] may.
  CHECK(awk_regex("^SELINUX=") == "^SELINUX=");
  CHECK(awk_regex("a.b") == "a[^\n]b");
  CHECK(awk_regex("foo$") == "foo(\n?$)");
  CHECK(awk_regex("foo\\Z") == "foo$");
  CHECK(awk_regex("\\Afoo") == "^foo");
  CHECK(awk_regex("\\d+") == "[0-9]+");
  CHECK(awk_regex("\\w") == "[0-9A-Z_a-z]");
  CHECK(awk_regex("\\W") == "[^0-9A-Z_a-z]");
  CHECK(awk_regex("\\s") == "[\t\v-\r \n]");
  CHECK(awk_regex("\\S") == "[^\t\v-\r \n]");
  CHECK(awk_regex("[^#]") == "[^#]");
  CHECK(awk_regex("a|b|c") == "a|b|c");
  CHECK(awk_regex("(?:ab)+c") == "(ab)+c");
  CHECK(awk_regex("(?P<key>\\w+)=") == "([0-9A-Z_a-z]+)=");
  CHECK(awk_regex("a(?#comment)b") == "ab");
  // Brackets: "]" first, "-" last, "\\" doubled, "[" kept away from ":.=".
  CHECK(awk_regex("[]x-]") == "[]x-]");
  CHECK(awk_regex("[^]x-]") == "[^]x-]");
  CHECK(awk_regex("[\\\\a]") == "[a\\\\]");
  CHECK(awk_regex("[[:]") == "[:[]");
  CHECK(awk_regex("[-^]") == "[-^]");
  CHECK(awk_regex("[a-z0-9_.-]") == "[-.0-9_a-z]");
  // Literals: ERE metacharacters escaped; braces bracketed (mawk reads \{ oddly).
  CHECK(awk_regex("\\.\\*\\+\\?\\(\\)\\|\\^\\$") == "\\.\\*\\+\\?\\(\\)\\|\\^\\$");
  CHECK(awk_regex("a{") == "a[{]");
  CHECK(awk_regex("a{}") == "a[{][}]");
  // Intervals are spelled out: mawk before 2020 has none.
  CHECK(awk_regex("x{3}") == "xxx");
  CHECK(awk_regex("\\d{2,3}") == "[0-9][0-9][0-9]?");
  CHECK(awk_regex("a{,2}") == "a?a?");
  CHECK(awk_regex("(ab){2,}") == "(ab)(ab)(ab)*");
  // Only whether a line matches counts: lazy is greedy, \b at the ends is a character.
  CHECK(awk_regex("^a.*?=") == "^a[^\n]*=");
  CHECK(awk_regex("\\bfoo\\b") == "(^|[^0-9A-Z_a-z])foo([^0-9A-Z_a-z]|$)");
  CHECK(awk_regex("^\\bfoo") == "^foo");
  CHECK(awk_regex("foo\\b ") == "foo ");
  CHECK(awk_regex("(a|)b") == "((a)?)b");
  CHECK(awk_regex("\\x41\\101\\t") == "AA\t");
}

TEST_CASE("replace runs GNU sed in multiline mode with Python's groups") {
  const std::string fstab = sed_script("^(.*\\sswap\\s.*)$", "# \\1");
  CHECK_THAT(fstab, Catch::Contains("s/^(.*[\t\v-\r \\n]swap[\t\v-\r \\n].*)$/# \\1/Mg\n"));
  // The file is read whole, with "\nx" fed after it so sed adds no newline of its own.
  CHECK(fstab.rfind(":a\n$!{\nN\nba\n}\ns/\\nx$//\n", 0) == 0);
  // Non-capturing groups still count in ERE: \g<name> and \2 follow the map.
  CHECK_THAT(sed_script("(?:x)(?P<k>\\w)=(\\d)", "\\g<2>:\\g<k>"), Catch::Contains("s/(x)([0-9A-Z_a-z])=([0-9])/\\3:\\2/Mg"));
  CHECK_THAT(sed_script("a", "&\\\\\\n\\t"), Catch::Contains("s/a/\\&\\\\\\n\t/Mg"));
  CHECK_THAT(sed_script("a", "\\g<0>!"), Catch::Contains("s/a/&!/Mg"));
  // A "/" in the pattern picks another delimiter.
  CHECK_THAT(sed_script("/etc/x", "y"), Catch::Contains("s#/etc/x#y#Mg"));
  // Lazy before the last character: anything but that character.
  CHECK_THAT(sed_script("\"(.*?)\"", "'\\1'"), Catch::Contains("s/\"([^\"\\n]*)\"/'\\1'/Mg"));
  CHECK_THAT(sed_script("=.+?,", "x"), Catch::Contains("s/=[^\\n][^,\\n]*,/x/Mg"));
  // Under M a negated list never takes a newline: [^a] must be listed out.
  const std::string not_a = sed_script("[^a]", "-");
  CHECK_THAT(not_a, Catch::Contains("\\n") && Catch::Contains("s/[]") && !Catch::Contains("s/[^"));
  CHECK_THAT(sed_script("\\Aa\\Z", "-"), Catch::Contains("s/\\`a\\'/-/Mg"));
  CHECK_THAT(sed_script("\\d{2,}", "N"), Catch::Contains("s/[0-9]{2,}/N/Mg"));
  CHECK_THAT(sed_script("(a)\\1", "N"), Catch::Contains("s/(a)\\1/N/Mg"));
}

TEST_CASE("replace with after and before cuts the section out around the substitution") {
  auto s = shell_value(script("replace", args({{"path", "/f"}, {"regexp", "x"}, {"replace", "y"}, {"after", "START"},
                                                {"before", "STOP"}})),
                       "fk_sed");
  CHECK_THAT(s, Catch::Contains("/[\\x01-\\x03]/Q 3\n"));  // the markers must not be in the file
  CHECK_THAT(s, Catch::Contains("s/START/&\\x01/\n"));
  CHECK_THAT(s, Catch::Contains("s/STOP/\\x02&/\n"));
  auto before_only = shell_value(script("replace", args({{"path", "/f"}, {"regexp", "x"}, {"before", "(S)TOP"}})), "fk_sed");
  // Alone, before follows the (.*) that finds its last match: its groups start at 3.
  CHECK_THAT(before_only, Catch::Contains("s/^(.*)((S)TOP)/\\1\\x02\\2/\n"));
}

TEST_CASE("lineinfile and blockinfile pass the edit to one awk run") {
  auto s = script("lineinfile", args({{"path", "/etc/ssh/sshd_config"}, {"regexp", "^#?PermitRootLogin"},
                                      {"line", "PermitRootLogin no"}, {"insertafter", "^#?Port"}}));
  CHECK(shell_value(s, "fk_line") == "PermitRootLogin no");
  CHECK(shell_value(s, "fk_ins") == "^#?Port");
  CHECK(shell_value(s, "fk_after") == "re");
  CHECK_THAT(s, Catch::Contains("LC_ALL=C awk '"));
  CHECK_THAT(s, Catch::Contains("mv -f -- \"$fk_tmp\" \"$fk_dest\""));
  // Only insertafter: EOF/BOF and insertbefore: BOF are places; anything else is a regex.
  auto bof = script("lineinfile", args({{"path", "/f"}, {"line", "x"}, {"insertbefore", "BOF"}}));
  CHECK(shell_value(bof, "fk_before") == "BOF");
  auto block = script("blockinfile", args({{"path", "/f"}, {"block", "a=1"}, {"marker", "<!-- {mark} x -->"}}));
  CHECK(shell_value(block, "fk_block") == "<!-- BEGIN x -->\na=1\n<!-- END x -->\n");
  CHECK(shell_value(block, "fk_m1") == "<!-- END x -->");
  CHECK(shell_value(block, "fk_after") == "");
  auto gone = script("blockinfile", args({{"path", "/f"}, {"block", "a=1"}, {"state", "absent"}}));
  CHECK(shell_value(gone, "fk_block") == "");
  // backrefs: sed expands the line with the groups of the match.
  auto br = script("lineinfile", args({{"path", "/f"}, {"regexp", "^(\\w+)=(\\d+)$"}, {"line", "\\2=\\1"}, {"backrefs", true}}));
  CHECK_THAT(br, Catch::Contains("s/^([0-9A-Z_a-z]+)=([0-9]+)$/\\x01\\2=\\1\\x03/M"));
}

TEST_CASE("in check mode the text modules write nothing") {
  RunMode check{true, false}, check_diff{true, true};
  for (const RunMode& mode : {check, check_diff}) {
    for (const auto& [module, a] : std::vector<std::pair<const char*, Value::Object>>{
             {"lineinfile", args({{"path", "/f"}, {"line", "x"}, {"create", true}, {"mode", "0600"}})},
             {"replace", args({{"path", "/f"}, {"regexp", "x"}})},
             {"blockinfile", args({{"path", "/f"}, {"block", "x"}, {"create", true}, {"backup", true}})},
             {"get_url", args({{"url", "http://x/a"}, {"dest", "/a"}, {"force", true}})}}) {
      INFO(module << " diff=" << mode.diff);
      const std::string s = script(module, a, mode);
      for (const char* writes : {"mv -f", "mkdir", "chmod", "cp -p", "curl", "mktemp", "fk_out=\"$fk_tmp\""}) {
        CHECK(s.find(writes) == std::string::npos);
      }
    }
  }
  // With diff on, the new content goes straight into diff.
  CHECK_THAT(script("lineinfile", args({{"path", "/f"}, {"line", "x"}}), check_diff),
             Catch::Contains("fk_out=-") && Catch::Contains("diff -u --label \"$fk_label\" --label \"after: $fk_dest\" -- \"$fk_src\" -"));
}

TEST_CASE("stat output becomes Ansible's stat object") {
  const Module* m = find_module("stat");
  const auto a = args({{"path", "/etc/hosts"}});
  const std::string out =
      "rawmode=81a4\nuid=0\ngid=10\nsize=158\ninode=12\ndev=64768\nnlink=1\natime=1700000000\n"
      "atime_f=2023-11-14 22:13:20.250000000 +0000\nmtime=1700000001\nmtime_f=2023-11-14 22:13:21.500000000 +0000\n"
      "ctime=1700000002\nctime_f=2023-11-14 22:13:22.000000000 +0000\nblocks=8\nblock_size=4096\nrdev=0:0\n"
      "pw_name=root\ngr_name=UNKNOWN\nreadable=true\nwriteable=true\nexecutable=false\n"
      "checksum=7b2d6a6b4e1a2f0c0e4f0d1c2b3a4f5e6d7c8b9a  -\n";
  auto o = m->interpret(ran(0, out), a, {});
  CHECK_FALSE(o.changed);
  CHECK_FALSE(o.failed);
  Value st = o.result["stat"];
  CHECK(st["exists"] == Value(true));
  CHECK(st["path"] == Value("/etc/hosts"));
  CHECK(st["mode"] == Value("0644"));
  CHECK(st["isreg"] == Value(true));
  CHECK(st["isdir"] == Value(false));
  CHECK(st["islnk"] == Value(false));
  CHECK(st["size"] == Value(158));
  CHECK(st["gid"] == Value(10));
  CHECK(st["mtime"] == Value(1700000001.5));
  CHECK(st["rusr"] == Value(true));
  CHECK(st["xusr"] == Value(false));
  CHECK(st["roth"] == Value(true));
  CHECK(st["writeable"] == Value(true));
  CHECK(st["executable"] == Value(false));
  CHECK(st["pw_name"] == Value("root"));
  CHECK(st.find("gr_name") == nullptr);  // no name for the gid: Ansible leaves it out
  CHECK(st["checksum"] == Value("7b2d6a6b4e1a2f0c0e4f0d1c2b3a4f5e6d7c8b9a"));

  auto dev = m->interpret(ran(0, "rawmode=21b6\nrdev=1:3\n"), a, {});
  CHECK(dev.result["stat"]["ischr"] == Value(true));
  CHECK(dev.result["stat"]["mode"] == Value("0666"));
  CHECK(dev.result["stat"]["device_type"] == Value(259));
  auto setuid = m->interpret(ran(0, "rawmode=89ed\n"), a, {});
  CHECK(setuid.result["stat"]["mode"] == Value("4755"));
  CHECK(setuid.result["stat"]["isuid"] == Value(true));
  auto link = m->interpret(ran(0, "rawmode=a1ff\nlnk_source=/etc/real\nlnk_target=real\n"), a, {});
  CHECK(link.result["stat"]["islnk"] == Value(true));
  CHECK(link.result["stat"]["lnk_source"] == Value("/etc/real"));

  auto missing = m->interpret(ran(0, "exists=false\n"), a, {});
  CHECK(missing.result["stat"] == Value(Value::Object{{"exists", false}}));
  auto denied = m->interpret(ran(1, "", "stat: cannot statx '/root/x': Permission denied\n"), a, {});
  CHECK(denied.failed);
  CHECK(denied.result.find("stat") == denied.result.end());
  // The checksum follows checksum_algorithm; follow=yes uses stat -L.
  auto s = script("stat", args({{"path", "/x"}, {"checksum_algorithm", "sha256"}, {"follow", true}}));
  CHECK_THAT(s, Catch::Contains("sha256sum < \"$fk_p\"") && Catch::Contains("stat -L --printf"));
  CHECK(script("stat", args({{"path", "/x"}, {"get_checksum", false}})).find("sum <") == std::string::npos);
}

TEST_CASE("wait_for is skipped in check mode and reports elapsed, never changed") {
  const Module* m = find_module("wait_for");
  auto skipped = m->interpret(ran(101, "skipped: remote module (wait_for) does not support check mode\n"), {}, {true, false});
  CHECK(skipped.skipped);
  CHECK_THAT(script("wait_for", args({{"port", 22}}), {true, false}), Catch::Contains("exit 101"));
  auto ok = m->interpret(ran(0, "elapsed=3\n"), args({{"port", 6443}}), {});
  CHECK_FALSE(ok.changed);
  CHECK(ok.result["elapsed"] == Value(3));
  CHECK(ok.result["port"] == Value(6443));
  CHECK(ok.result["state"] == Value("started"));
  auto s = script("wait_for", args({{"host", "10.0.0.5"}, {"port", 6443}, {"timeout", 60}}));
  CHECK_THAT(s, Catch::Contains("fk_end=$((fk_start + 60))"));
  CHECK_THAT(s, Catch::Contains("bash -c ': <\"/dev/tcp/$0/$1\"' \"$fk_host\" 6443"));
  CHECK_THAT(s, Catch::Contains("Timeout when waiting for 10.0.0.5:6443"));
  CHECK_THAT(script("wait_for", args({{"path", "/var/lib/x"}, {"search_regex", "ready"}})),
             Catch::Contains("Timeout when waiting for search string ready in /var/lib/x"));
  CHECK_THAT(script("wait_for", args({{"path", "/run/x.pid"}, {"state", "absent"}, {"msg", "still running"}})),
             Catch::Contains("'still running'"));
}
