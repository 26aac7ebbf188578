// translate_python_regex and translate_python_template on their own: where
// the hosts' translation once read Python differently from the filters'
// (src/template/py_regex.cpp), with what Python 3.11 answers. The scripts
// that use them are in text_modules_test.cpp.
#include <catch2/catch.hpp>

#include "fleetk8s/core/py_ere.h"

using namespace fleetk8s;
using namespace fleetk8s::pyre;

namespace {

std::string awk(const std::string& pattern) {
  auto ere = translate_python_regex(pattern, RegexDialect::kAwkLine);
  REQUIRE(ere.ok());
  return ere->text;
}

std::string refusal(const std::string& pattern, bool bytes = true) {
  auto ere = translate_python_regex(pattern, RegexDialect::kSedMultiline, bytes);
  REQUIRE_FALSE(ere.ok());
  CHECK(ere.error().kind() == ErrorKind::kInvalidInput);
  return ere.error().message();
}

std::string sed_replacement(const std::string& pattern, const std::string& tmpl) {
  auto ere = translate_python_regex(pattern, RegexDialect::kSedMultiline);
  REQUIRE(ere.ok());
  auto out = translate_python_template(tmpl, *ere);
  return out.ok() ? *out : "error: " + out.error().message();
}

}  // namespace

TEST_CASE("py_ere: a comment leaves nothing for a repeat to take", "[modules][regex]") {
  CHECK(awk("a(?#note)*") == "a*");  // Python: a*, as if the comment were not there
}

TEST_CASE("py_ere: str patterns read escapes as code points", "[modules][regex]") {
  // In a str pattern (replace) \xe9 and \u00e9 are the character é, in UTF-8.
  auto ere = translate_python_regex("\\xe9\\u00e9", RegexDialect::kSedMultiline, false);
  REQUIRE(ere.ok());
  CHECK(ere->text == "\xC3\xA9\xC3\xA9");
  auto bytes = translate_python_regex("\\xe9", RegexDialect::kSedMultiline, true);
  REQUIRE(bytes.ok());
  CHECK(bytes->text == "\xE9");
  CHECK(refusal("[\\xe9]", false) == "non-ASCII characters in a character class are not supported here at position 0");
}

TEST_CASE("py_ere: Python's messages, with Python's positions", "[modules][regex]") {
  CHECK(refusal("[z-a]") == "bad character range z-a at position 1");
  CHECK(refusal("\\777") == "octal escape value \\777 outside of range 0-0o377 at position 0");
  CHECK(refusal("(?P<a>x)(?P<a>y)") == "redefinition of group name 'a' as group 2; was group 1 at position 12");
  CHECK(refusal("(?P<>x)") == "missing group name at position 4");
  CHECK(refusal("a\\x4") == "incomplete escape \\x4 at position 1");
  CHECK(refusal("(a") == "missing ), unterminated subpattern at position 0");
  CHECK(refusal("a)") == "unbalanced parenthesis at position 1");
  // What sed cannot do is refused at its place.
  CHECK(refusal("x*+") == "possessive quantifiers are not supported at position 2");
  CHECK(refusal("(?i:a)") == "inline flags such as (?i) are not supported at position 0");
  CHECK(refusal("(?>a)") == "atomic groups (?>...) are not supported at position 0");
}

TEST_CASE("py_ere: replacement templates as Python reads them", "[modules][regex]") {
  CHECK(sed_replacement("(a)", "\\101") == "A");
  CHECK(sed_replacement("(a)", "\\g<2>") == "error: invalid group reference 2");
  CHECK(sed_replacement("(a)", "\\g<a-b>") == "error: bad character in group name 'a-b'");
  CHECK(sed_replacement("(a)", "\\g1") == "error: missing <");
  CHECK(sed_replacement("(a)", "x\\") == "error: bad escape (end of pattern)");
  CHECK(sed_replacement("(a)", "\\0") == "error: NUL characters in the replacement are not supported");
  CHECK(sed_replacement("(?P<k>a)", "<\\g<k>&\\g<0>>") == "<\\1\\&&>");
}
