// Where the filters' regexes once differed from Python's re and from the
// hosts' translation (src/modules/py_ere.cpp): both now read patterns with
// fleetk8s/core/py_regex_syntax.h, and each case here is what Python 3.11
// answers.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("regex: . and multiline $ treat only \\n as a line end, as Python", "[template][regex]") {
  CHECK(eval("'a\\rb' is search('a.b')") == Value(true));  // ECMAScript's . stops at \r
  CHECK(eval("'a\\rb' | regex_findall('a$', multiline=true)") == lit("[]"));
  CHECK(eval("'a\\nb' | regex_findall('a$', multiline=true)") == lit("['a']"));
  CHECK(eval("'a\\nb' | regex_search('a\\\\Z', multiline=true)") == Value());  // \Z: the end of the text only
  CHECK(eval("'ab\\n' | regex_search('b\\\\Z')") == Value());
  CHECK(eval("'ab' | regex_search('b\\\\Z')") == Value("b"));
}

TEST_CASE("regex: repeats as Python reads them", "[template][regex]") {
  CHECK(render(R"({{ 'aaa' | regex_search('a{,}') }})") == Value("aaa"));  // {,} is {0,}, not literal text
  CHECK(render(R"({{ 'aaaa' | regex_search('(a)\1*') }})") == Value("aaaa"));  // the repeat takes the backreference
  CHECK(render(R"({{ 'ééx' | regex_search('é+') }})") == Value("éé"));  // and a whole character
  CHECK(render_error(R"({{ 'x' | regex_search('*x') }})") ==
        "x.yml:14:18: filter 'regex_search': nothing to repeat at position 0");
  CHECK(render_error(R"({{ 'x' | regex_search('x{3,2}') }})") ==
        "x.yml:14:18: filter 'regex_search': min repeat greater than max repeat at position 2");
}

TEST_CASE("regex: escapes and classes as Python reads them", "[template][regex]") {
  CHECK(render(R"({{ 'é' | regex_search('\u00e9') }})") == Value("é"));  // a code point, in UTF-8
  CHECK(render(R"({{ 'x-y z' | regex_findall('[\w-]+') }})") == lit("['x-y', 'z']"));
  CHECK(render(R"({{ 'a]b' | regex_findall('[]a]') }})") == lit("['a', ']']"));
  CHECK(eval("'A' is search('[^a]', ignorecase=true)") == Value(false));
  CHECK(eval("'a\\nb' is search('a[^x]b')") == Value(true));
  CHECK(render_error(R"({{ 'x' | regex_search('a\q') }})") ==
        "x.yml:14:18: filter 'regex_search': bad escape \\q at position 1");
  CHECK(render_error(R"({{ 'x' | regex_search('(?P<a-b>x)') }})") ==
        "x.yml:14:18: filter 'regex_search': bad character in group name 'a-b' at position 4");
}

TEST_CASE("regex: replacement templates as Python reads them", "[template][regex]") {
  CHECK(render(R"({{ 'ab' | regex_replace('(b)', '\101') }})") == Value("aA"));  // octal, not group 10
  CHECK(render(R"({{ 'ab' | regex_replace('b', '\0') }})") == Value(std::string("a\0", 2)));  // NUL, not the match
  // Errors come before any match, as in Python.
  CHECK(render_error(R"({{ 'y' | regex_replace('x', '\3') }})") ==
        "x.yml:14:18: filter 'regex_replace': invalid group reference 3");
  CHECK(render_error(R"({{ 'y' | regex_replace('(x)', '\g<2>') }})") ==
        "x.yml:14:18: filter 'regex_replace': invalid group reference 2");
}
