// Regular expression filters and tests, with Python `re` semantics.
// Templates ({{ }}) keep backslashes in string literals as Ansible does;
// bare expressions apply Python escapes, so they double them.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("regex: regex_search returns the match, groups, or None", "[template][regex]") {
  CHECK(render(R"({{ 'foo 123 bar 45' | regex_search('[0-9]+') }})") == Value("123"));
  CHECK(render(R"({{ 'foo 123' | regex_search('(?P<word>[a-z]+) (?P<num>\d+)', '\g<num>', '\1') }})") ==
        lit("['123', 'foo']"));
  CHECK(render(R"({{ 'abc' | regex_search('x') }})") == Value());
  CHECK(text(R"([{{ 'abc' | regex_search('x') }}])") == "[]");
  CHECK(render(R"({{ 'ABC' | regex_search('b', ignorecase=true) }})") == Value("B"));
  CHECK(render(R"({{ 'a\nb' | regex_search('^b', multiline=true) }})") == Value());  // \n is not a newline here
  CHECK(eval("'a\\nb' | regex_search('^b', multiline=true)") == Value("b"));
}

TEST_CASE("regex: regex_replace with Python backreferences", "[template][regex]") {
  CHECK(render(R"({{ 'a.b.c' | regex_replace('\.', '-') }})") == Value("a-b-c"));
  CHECK(render(R"({{ 'John Smith' | regex_replace('(\w+) (\w+)', '\2, \1') }})") == Value("Smith, John"));
  CHECK(render(R"({{ 'John Smith' | regex_replace('(?P<f>\w+) (?P<l>\w+)', '\g<l> \g<f>') }})") == Value("Smith John"));
  CHECK(render(R"({{ 'ABC' | regex_replace('b', 'x', ignorecase=true) }})") == Value("AxC"));
  CHECK(render(R"({{ 'aaa' | regex_replace('a', 'b', count=2) }})") == Value("bba"));
  CHECK(render(R"({{ 'abxd' | regex_replace('x*', '-') }})") == Value("-a-b--d-"));
  CHECK(render(R"({{ 'k8s-node-01' | regex_replace('^k8s-(.*)$', '\1') }})") == Value("node-01"));
  CHECK(render(R"({{ 'path/to' | regex_replace('/', '\\') }})") == Value("path\\to"));
  CHECK(render(R"({{ 'x' | regex_replace('(x)', '[\1]\n') }})") == Value("[x]\n"));
  CHECK(render_error(R"({{ 'x' | regex_replace('x', '\3') }})") ==
        "x.yml:14:18: filter 'regex_replace': invalid group reference 3");
}

TEST_CASE("regex: regex_findall", "[template][regex]") {
  CHECK(render(R"({{ 'k1=v1 k2=v2' | regex_findall('(\w+)=(\w+)') }})") == lit("[['k1', 'v1'], ['k2', 'v2']]"));
  CHECK(render(R"({{ 'a1b22c333' | regex_findall('\d+') }})") == lit("['1', '22', '333']"));
  CHECK(render(R"({{ 'a1b22' | regex_findall('[a-z](\d)') }})") == lit("['1', '2']"));
  CHECK(eval("'line1\\nline2' | regex_findall('^l\\\\w+$', multiline=true)") == lit("['line1', 'line2']"));
}

TEST_CASE("regex: Python syntax translated to ECMAScript", "[template][regex]") {
  CHECK(render(R"({{ 'ab' is match('\Aa') }})") == Value(true));
  CHECK(render(R"({{ 'ab' is search('b\Z') }})") == Value(true));
  CHECK(render(R"({{ 'AB' is match('(?i)ab') }})") == Value(true));
  CHECK(render(R"({{ 'a{1}' is search('a{') }})") == Value(true));  // a literal brace
  CHECK(render(R"({{ 'aaa' is match('a{,2}$') }})") == Value(false));
  CHECK(render(R"({{ ']' is match('[]a]') }})") == Value(true));
  CHECK(render(R"({{ 'abab' is match('(?P<x>ab)(?P=x)') }})") == Value(true));
  CHECK(render(R"({{ 'end\n' is search('end$') }})") == Value(false));  // literal backslash-n
  CHECK(eval("'end\\n' is search('end$')") == Value(true));  // Python's $ matches before a final newline
  CHECK(render(R"({{ 'a\nb' is search('(?s)a.b') }})") == Value(false));
  CHECK(eval("'a\\nb' is search('(?s)a.b')") == Value(true));
  CHECK(render_error(R"({{ 'x' is search('(?<=a)x') }})") ==
        "x.yml:14:19: test 'search': lookbehind assertions are not supported");
  CHECK(render_error(R"({{ 'x' | regex_search('(') }})") ==
        "x.yml:14:18: filter 'regex_search': invalid regular expression '(': Mismatched '(' and ')' in regular expression");
}

TEST_CASE("regex: tests match, search and regex", "[template][regex]") {
  CHECK(eval("'abc' is match('b')") == Value(false));
  CHECK(eval("'abc' is match('a')") == Value(true));
  CHECK(eval("'abc' is search('b')") == Value(true));
  CHECK(eval("'ABC' is search('b', ignorecase=true)") == Value(true));
  CHECK(eval("'abc' is regex('^a.c$')") == Value(true));
  CHECK(eval("'abc' is regex('b', match_type='match')") == Value(false));
  CHECK(eval("'ab' is regex('a|ab', match_type='fullmatch')") == Value(true));
  CHECK(eval("kube_version is match('1\\\\.27')") == Value(true));
  CHECK(eval("n is match('5')") == Value(true));  // str() of non-strings
}

TEST_CASE("regex: regex_escape", "[template][regex]") {
  CHECK(eval("'a.b*c' | regex_escape") == Value("a\\.b\\*c"));
  CHECK(eval("'1.2 (x)' | regex_escape") == Value("1\\.2\\ \\(x\\)"));
  CHECK(eval("'a.b' | regex_escape('posix_basic')") == Value("a\\.b"));
}

TEST_CASE("regex: template module files apply Python escapes in {{ }} too", "[template][regex]") {
  tmpl::TemplateOptions file;
  file.escape_backslashes = false;
  CHECK(render(R"({{ 'a\nb' | regex_search('^b', multiline=true) }})", vars(), file) == Value("b"));
  CHECK(render(R"({{ 'a.b' | regex_replace('\\.', '-') }})", vars(), file) == Value("a-b"));
}
