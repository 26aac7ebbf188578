#include <catch2/catch.hpp>

#include <cstdint>

#include "fleetk8s/inventory/inventory.h"

using fleetk8s::ErrorKind;
using fleetk8s::Value;
using fleetk8s::inventory::Inventory;

namespace {

Inventory ini(const std::string& text) {
  auto r = Inventory::parse_ini(text, "inv.ini");
  if (!r.ok()) FAIL(r.error().message());
  return std::move(*r);
}

std::string ini_error(const std::string& text) {
  auto r = Inventory::parse_ini(text, "inv.ini");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  return r.error().message();
}

Value var(const Inventory& inv, const std::string& host, const std::string& key) {
  auto vars = inv.host_vars(host);
  auto it = vars.find(key);
  if (it == vars.end()) FAIL("no variable " << key << " on " << host);
  return it->second;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("INI: hosts, groups and ungrouped", "[inventory][ini]") {
  Inventory inv = ini(
      "# comment\n"
      "; another comment\n"
      "solo\n"
      "both\n"
      "\n"
      "[web]\n"
      "web1\n"
      "web2   # trailing comment\n"
      "both\n"
      "[db]\n"
      "db1\n"
      "web1\n");
  CHECK(inv.host_names() == Names{"solo", "both", "web1", "web2", "db1"});
  CHECK(inv.find_group("web")->hosts == Names{"web1", "web2", "both"});
  CHECK(inv.find_group("db")->hosts == Names{"db1", "web1"});
  // "both" was listed before any section but also joined web: not ungrouped.
  CHECK(inv.find_group("ungrouped")->hosts == Names{"solo"});
  CHECK(inv.find_group("all")->children == Names{"ungrouped", "web", "db"});
  CHECK(inv.groups_of("web1") == Names{"all", "db", "web"});
  CHECK(inv.groups_of("solo") == Names{"all", "ungrouped"});
  CHECK(inv.group_names() == Names{"all", "ungrouped", "web", "db"});
  CHECK(inv.has_host("db1"));
  CHECK_FALSE(inv.has_host("db2"));
  CHECK(inv.find_group("nope") == nullptr);
}

TEST_CASE("INI: nested children, declared in any order", "[inventory][ini]") {
  Inventory inv = ini(
      "[k8s:children]\n"
      "control\n"
      "workers\n"
      "[control]\n"
      "cp1\n"
      "[workers]\n"
      "w1\n"
      "[site:children]\n"
      "k8s\n");
  CHECK(inv.find_group("k8s")->children == Names{"control", "workers"});
  CHECK(inv.find_group("site")->children == Names{"k8s"});
  CHECK(inv.find_group("all")->children == Names{"ungrouped", "site"});
  CHECK(inv.groups_of("w1") == Names{"all", "k8s", "site", "workers"});
  CHECK(inv.hosts_in("site") == Names{"cp1", "w1"});
}

TEST_CASE("INI: host ranges", "[inventory][ini][ranges]") {
  Inventory inv = ini(
      "[g]\n"
      "node[01:03]\n"
      "n[1:10:4]\n"
      "db-[a:c]\n"
      "r[1:2]-u[8:9]\n"
      "x[:1]\n");
  CHECK(inv.find_group("g")->hosts == Names{"node01", "node02", "node03", "n1", "n5", "n9", "db-a", "db-b",
                                            "db-c", "r1-u8", "r1-u9", "r2-u8", "r2-u9", "x0", "x1"});
}

TEST_CASE("INI: host:port sets ansible_port when the host is first defined", "[inventory][ini]") {
  Inventory inv = ini("[a]\nh1:2222\nh2\n[b]\nh2:2200\n10.0.0.1:22\n[2001:db8::1]:2022\n");
  CHECK(var(inv, "h1", "ansible_port") == Value(2222));
  CHECK(inv.host_vars("h2").count("ansible_port") == 0);  // Ansible ignores a later port
  CHECK(var(inv, "10.0.0.1", "ansible_port") == Value(22));
  CHECK(var(inv, "2001:db8::1", "ansible_port") == Value(2022));
}

TEST_CASE("INI: inline host variables are typed by Python literal rules", "[inventory][ini][typing]") {
  Inventory inv = ini(
      "h a=1 b=True c=yes d=\"x\" e='two words' f=1.5 g=None h=0x10 i=010 j=-3 k=[1,'a'] "
      "l=1,2 m= n=\"{'k': [True, None]}\" o=False p=1e3 q=1_000 r=v1.2 s=\"'quoted'\" "
      "t=0o17 u=hello\\ world\n");
  CHECK(var(inv, "h", "a") == Value(1));
  CHECK(var(inv, "h", "b") == Value(true));
  CHECK(var(inv, "h", "c") == Value("yes"));
  CHECK(var(inv, "h", "d") == Value("x"));
  CHECK(var(inv, "h", "e") == Value("two words"));
  CHECK(var(inv, "h", "f") == Value(1.5));
  CHECK(var(inv, "h", "g") == Value());
  CHECK(var(inv, "h", "h") == Value(16));
  CHECK(var(inv, "h", "i") == Value("010"));  // leading zeros: not a Python int
  CHECK(var(inv, "h", "j") == Value(-3));
  CHECK(var(inv, "h", "k") == Value("[1,a]"));  // the shell-style split ate the quotes
  CHECK(var(inv, "h", "l") == Value(Value::Array{Value(1), Value(2)}));    // a tuple
  CHECK(var(inv, "h", "m") == Value(""));
  CHECK(var(inv, "h", "n") ==
        Value(Value::Object{{"k", Value(Value::Array{Value(true), Value()})}}));
  CHECK(var(inv, "h", "o") == Value(false));
  CHECK(var(inv, "h", "p") == Value(1000.0));
  CHECK(var(inv, "h", "q") == Value(1000));
  CHECK(var(inv, "h", "r") == Value("v1.2"));
  CHECK(var(inv, "h", "s") == Value("quoted"));
  CHECK(var(inv, "h", "t") == Value(15));
  CHECK(var(inv, "h", "u") == Value("hello world"));
}

TEST_CASE("INI: Python literal corner cases", "[inventory][ini][typing]") {
  Inventory inv = ini(
      "h min=-9223372036854775808 e=0e0 join=\"'a' 'b'\" tuple=\"(1,)\" paren=\"(1)\" "
      "esc=\"'\\x41\\101\\u00e9\\q'\" raw=\"r'\\d'\" f=\"f'x'\" sum=1+2 neg2=--1 "
      "keys=\"{1: 'a', False: 'b', None: 'c', 1.5: 'd'}\" pad=\" 7\"\n");
  CHECK(var(inv, "h", "min") == Value(INT64_MIN));
  CHECK(var(inv, "h", "e") == Value(0.0));
  CHECK(var(inv, "h", "join") == Value("ab"));
  CHECK(var(inv, "h", "tuple") == Value(Value::Array{Value(1)}));
  CHECK(var(inv, "h", "paren") == Value(1));
  CHECK(var(inv, "h", "esc") == Value("AA\xC3\xA9\\q"));
  CHECK(var(inv, "h", "raw") == Value("\\d"));
  CHECK(var(inv, "h", "f") == Value("f'x'"));  // f-strings are not literals
  CHECK(var(inv, "h", "sum") == Value("1+2"));
  CHECK(var(inv, "h", "neg2") == Value("--1"));
  CHECK(var(inv, "h", "keys") == Value(Value::Object{{"1", Value("a")}, {"false", Value("b")},
                                                     {"null", Value("c")}, {"1.5", Value("d")}}));
  CHECK(var(inv, "h", "pad") == Value(7));
}

TEST_CASE("INI: a '#' ends the host line even inside a word", "[inventory][ini]") {
  Inventory inv = ini("h a=1 path=/x#comment b=2\n");
  CHECK(var(inv, "h", "path") == Value("/x"));
  CHECK(inv.host_vars("h").count("b") == 0);
}

TEST_CASE("INI: [group:vars] values are the rest of the line, literal_eval'd", "[inventory][ini][typing]") {
  Inventory inv = ini(
      "[g]\nh\n"
      "[g:vars]\n"
      "port=80\n"
      "flag = True\n"
      "word=yes\n"
      "motd = Welcome to the cluster\n"
      "quoted=\"a b\"\n"
      "cidr=10.244.0.0/16\n"
      "hash=x # kept, not a Python literal\n"
      "num=42 # a Python comment\n"
      "eq=a=b\n");
  CHECK(var(inv, "h", "port") == Value(80));
  CHECK(var(inv, "h", "flag") == Value(true));
  CHECK(var(inv, "h", "word") == Value("yes"));
  CHECK(var(inv, "h", "motd") == Value("Welcome to the cluster"));
  CHECK(var(inv, "h", "quoted") == Value("a b"));
  CHECK(var(inv, "h", "cidr") == Value("10.244.0.0/16"));
  CHECK(var(inv, "h", "hash") == Value("x # kept, not a Python literal"));
  CHECK(var(inv, "h", "num") == Value(42));
  CHECK(var(inv, "h", "eq") == Value("a=b"));
  CHECK(inv.find_group("g")->vars.at("port") == Value(80));
}

TEST_CASE("INI: hosts in [all] and an explicit [ungrouped]", "[inventory][ini]") {
  Inventory inv = ini("[all]\na1\n[ungrouped]\nu1\n[web]\na2\n[all]\na2\n");
  CHECK(inv.find_group("ungrouped")->hosts == Names{"u1", "a1"});
  CHECK(inv.groups_of("a2") == Names{"all", "web"});
}

TEST_CASE("INI: a :vars section may come before its group", "[inventory][ini]") {
  Inventory inv = ini("[g:vars]\nx=1\n[g]\nh\n");
  CHECK(var(inv, "h", "x") == Value(1));
}

TEST_CASE("INI: errors name file, line and the offending line", "[inventory][ini][errors]") {
  CHECK(ini_error("[web]\nh1\n[web:foo]\n") ==
        "inv.ini:3: section [web:foo] has unknown type \"foo\" (expected hosts, children or vars)\n"
        "    [web:foo]");
  CHECK(ini_error("[web]\n[bad name]\n") ==
        "inv.ini:2: invalid section header: a section is [group] or "
        "[group:hosts|children|vars], without spaces\n    [bad name]");
  CHECK(ini_error("[g:vars]\nx=1\nnoequals\n") ==
        "inv.ini:3: expected key=value in [g:vars], got \"noequals\"\n    noequals");
  CHECK(ini_error("[g]\nh1 a=1 oops\n") ==
        "inv.ini:2: expected key=value host variable, got \"oops\"\n    h1 a=1 oops");
  CHECK(ini_error("[g]\nh1 a=\"open\n") ==
        "inv.ini:2: cannot split host line: No closing quotation\n    h1 a=\"open");
  CHECK(ini_error("[g]\nh1:\n") ==
        "inv.ini:2: host \"h1:\" ends in ':', which is reserved for a port number\n    h1:");
  CHECK(ini_error("---\nall:\n") == "inv.ini:1: \"---\" is not a host name; is this a YAML file?\n    ---");
  CHECK(ini_error("[p:children]\nx y\n") ==
        "inv.ini:2: expected a group name in [p:children], got \"x y\"\n    x y");
}

TEST_CASE("INI: bad ranges", "[inventory][ini][ranges][errors]") {
  CHECK(ini_error("[g]\n\nweb[1:x]\n") ==
        "inv.ini:3: bad host range [1:x]: bounds must be numbers or single letters\n    web[1:x]");
  CHECK(ini_error("[g]\nweb[5:1]\n") ==
        "inv.ini:2: bad host range [5:1]: begin must not be greater than end\n    web[5:1]");
  CHECK(ini_error("[g]\nweb[c:a]\n") ==
        "inv.ini:2: bad host range [c:a]: begin must not be after end\n    web[c:a]");
  CHECK(ini_error("[g]\nweb[01:100]\n") ==
        "inv.ini:2: bad host range [01:100]: begin and end must have the same width when "
        "zero-padded\n    web[01:100]");
  CHECK(ini_error("[g]\nweb[1:4:0]\n") ==
        "inv.ini:2: bad host range [1:4:0]: step must be a positive number\n    web[1:4:0]");
  CHECK(ini_error("[g]\nweb[1:]\n") == "inv.ini:2: bad host range [1:]: missing end value\n    web[1:]");
  CHECK(ini_error("[g]\nweb[1]\n") ==
        "inv.ini:2: bad host range [1]: expected begin:end or begin:end:step\n    web[1]");
  CHECK(ini_error("[g]\nweb[1:2\n") == "inv.ini:2: bad host range in \"web[1:2\": missing ']'\n    web[1:2");
}

TEST_CASE("INI: children naming an undeclared group", "[inventory][ini][errors]") {
  // Like Ansible: a child group must have its own [x] or [x:children] section.
  CHECK(ini_error("[k8s:children]\nmasters\nworkers\n[masters]\nm1\n") ==
        "inv.ini:3: [k8s:children] names group \"workers\", which has no [workers] or "
        "[workers:children] section\n    workers");
  CHECK(ini_error("[x:vars]\na=1\n") ==
        "inv.ini:1: [x:vars] is for group \"x\", which has no [x] or [x:children] section\n    [x:vars]");
}

TEST_CASE("INI: group cycles are rejected, naming the cycle", "[inventory][ini][errors]") {
  CHECK(ini_error("[a:children]\nb\n[b:children]\nc\n[c:children]\na\n") ==
        "inv.ini:6: adding group \"a\" to \"c\" creates a cycle: c -> a -> b -> c\n    a");
  CHECK(ini_error("[a:children]\na\n") ==
        "inv.ini:2: adding group \"a\" to \"a\" creates a cycle: a -> a\n    a");
  // The cycle closes when a pending child gets declared: the entry's line is named.
  CHECK(ini_error("[a:children]\nb\n[b:children]\na\n") ==
        "inv.ini:4: adding group \"a\" to \"b\" creates a cycle: b -> a -> b\n    a");
}

TEST_CASE("INI: bad ansible_group_priority", "[inventory][ini][errors]") {
  CHECK(ini_error("[g]\nh\n[g:vars]\nansible_group_priority=high\n") ==
        "inv.ini:4: ansible_group_priority must be an integer, got \"high\"\n"
        "    ansible_group_priority=high");
}

TEST_CASE("INI: CRLF line endings and a BOM are accepted", "[inventory][ini]") {
  Inventory inv = ini("\xEF\xBB\xBF[g]\r\nh1 a=1\r\nh2\r\n");
  CHECK(inv.find_group("g")->hosts == Names{"h1", "h2"});
  CHECK(var(inv, "h1", "a") == Value(1));
}
