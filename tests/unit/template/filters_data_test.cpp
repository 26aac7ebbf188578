// Serialization, encoding and path filters (expected values checked
// against ansible-core 2.14 and PyYAML).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("filters: to_json as Python's json.dumps", "[template][filters]") {
  CHECK(eval("{'a': [1, 2.5, 1.0, 'x', none, true]} | to_json") == Value(R"({"a": [1, 2.5, 1.0, "x", null, true]})"));
  CHECK(eval("'\xC3\xA9\\n\"' | to_json") == Value(R"("\u00e9\n\"")"));
  CHECK(eval("'\xC3\xA9' | to_json(ensure_ascii=false)") == Value("\"\xC3\xA9\""));
  CHECK(eval("{'a': [1, {}], 'b': []} | to_json(indent=2)") == Value("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"));
  CHECK(eval("{'b': 1, 'a': 2} | to_nice_json") == Value("{\n    \"a\": 2,\n    \"b\": 1\n}"));
  CHECK(eval("'\xF0\x9F\x98\x80' | to_json") == Value(R"("\ud83d\ude00")"));
}

TEST_CASE("filters: from_json", "[template][filters]") {
  CHECK(eval(R"('{"a": [1, 2.5, null, true], "b": "\\u00e9"}' | from_json)") ==
        lit("{'a': [1, 2.5, none, true], 'b': '\xC3\xA9'}"));
  CHECK(eval("'[1, 2]' | from_json") == lit("[1, 2]"));
  CHECK(eval("'\"x\"' | from_json") == Value("x"));
  CHECK(eval("d | to_json | from_json") == eval("d"));
  CHECK(eval_error("'[1,' | from_json") == "x.yml:14:17: filter 'from_json': Expecting value at char 3");
}

TEST_CASE("filters: to_yaml writes leaf collections inline", "[template][filters]") {
  CHECK(eval("{'a': [1, {'b': 2}], 'c': {'d': [], 'e': 'x y'}} | to_yaml") ==
        Value("a:\n- 1\n- {b: 2}\nc:\n  d: []\n  e: x y\n"));
  CHECK(eval("{'a': 1} | to_yaml") == Value("{a: 1}\n"));
  CHECK(eval("42 | to_yaml") == Value("42\n"));
  CHECK(eval("[] | to_yaml") == Value("[]\n"));
}

TEST_CASE("filters: to_nice_yaml writes block style", "[template][filters]") {
  CHECK(eval("{'a': [1, {'b': 2}], 'c': {'d': [], 'e': 'x y'}} | to_nice_yaml") ==
        Value("a:\n- 1\n-   b: 2\nc:\n    d: []\n    e: x y\n"));
  CHECK(eval("[{'a': 1, 'b': [1, 2]}, [3, 4]] | to_nice_yaml") ==
        Value("-   a: 1\n    b:\n    - 1\n    - 2\n-   - 3\n    - 4\n"));
  CHECK(eval("[{'a': 1, 'b': 2}] | to_nice_yaml(indent=2)") == Value("- a: 1\n  b: 2\n"));
}

TEST_CASE("filters: YAML quotes strings that would read as something else", "[template][filters]") {
  auto yaml = [](const char* s) {
    return eval("[" + std::string(s) + "] | to_nice_yaml").as_string();
  };
  CHECK(yaml("'plain'") == "- plain\n");
  CHECK(yaml("'yes'") == "- 'yes'\n");
  CHECK(yaml("'True'") == "- 'True'\n");
  CHECK(yaml("'1'") == "- '1'\n");
  CHECK(yaml("'1.5'") == "- '1.5'\n");
  CHECK(yaml("'1e3'") == "- 1e3\n");  // not a float in YAML 1.1
  CHECK(yaml("''") == "- ''\n");
  CHECK(yaml("' x'") == "- ' x'\n");
  CHECK(yaml("'a: b'") == "- 'a: b'\n");
  CHECK(yaml("'a #b'") == "- 'a #b'\n");
  CHECK(yaml("'-x'") == "- -x\n");
  CHECK(yaml("'2001-12-14'") == "- '2001-12-14'\n");
  CHECK(yaml("'null'") == "- 'null'\n");
  CHECK(yaml("'~'") == "- '~'\n");
  CHECK(yaml("\"it's\"") == "- it's\n");
  CHECK(yaml("'@x'") == "- '@x'\n");
  CHECK(yaml("'0x1f'") == "- '0x1f'\n");
  CHECK(yaml("'012'") == "- '012'\n");
  CHECK(yaml("'{a}'") == "- '{a}'\n");
  CHECK(yaml("'a,b'") == "- a,b\n");
  CHECK(yaml("'\xC3\xA9'") == "- \xC3\xA9\n");
  CHECK(yaml("'a\\tb'") == "- \"a\\tb\"\n");
  CHECK(yaml("'a\\nb'") == "- \"a\\nb\"\n");  // PyYAML would fold this into single quotes
  CHECK(yaml("1.0") == "- 1.0\n");
  CHECK(yaml("1e20") == "- 1.0e+20\n");
  CHECK(yaml("none") == "- null\n");
  CHECK(yaml("true") == "- true\n");
  CHECK(eval("{'1': 2, 'a b': 1, 'yes': 3} | to_nice_yaml") == Value("'1': 2\na b: 1\n'yes': 3\n"));
}

TEST_CASE("filters: base64", "[template][filters]") {
  CHECK(eval("'hello' | b64encode") == Value("aGVsbG8="));
  CHECK(eval("'ab' | b64encode") == Value("YWI="));
  CHECK(eval("'' | b64encode") == Value(""));
  CHECK(eval("'\xC3\xA9' | b64encode") == Value("w6k="));
  CHECK(eval("'aGVsbG8=' | b64decode") == Value("hello"));
  CHECK(eval("'aGVs\\nbG8=' | b64decode") == Value("hello"));
  CHECK(eval("'w6k=' | b64decode") == Value("\xC3\xA9"));
  CHECK(eval_error("'aGVsbG8' | b64decode") == "x.yml:14:21: filter 'b64decode': Incorrect padding");
}

TEST_CASE("filters: paths, as Python's posixpath", "[template][filters]") {
  CHECK(eval("'/etc/kube/admin.conf' | basename") == Value("admin.conf"));
  CHECK(eval("'/etc/kube/admin.conf' | dirname") == Value("/etc/kube"));
  CHECK(eval("'file' | dirname") == Value(""));
  CHECK(eval("'/' | dirname") == Value("/"));
  CHECK(eval("'/a/b/' | basename") == Value(""));
  CHECK(eval("'/a/b/' | dirname") == Value("/a/b"));
  CHECK(eval("['/etc', 'kube', 'x.conf'] | path_join") == Value("/etc/kube/x.conf"));
  CHECK(eval("['a', '/abs', 'b'] | path_join") == Value("/abs/b"));
  CHECK(eval("'a/b.tar.gz' | splitext") == lit("['a/b.tar', '.gz']"));
  CHECK(eval("'.bashrc' | splitext") == lit("['.bashrc', '']"));
}
