// read_python_regex and read_python_template against Python's re (expected
// messages from Python 3.11's re.compile / re.sub).
#include <catch2/catch.hpp>

#include "fleetk8s/core/py_regex_syntax.h"

using namespace fleetk8s;
using pyre::TokenKind;

namespace {

pyre::Syntax read(const std::string& pattern, bool bytes = true) {
  pyre::SyntaxOptions options;
  options.bytes = bytes;
  auto s = pyre::read_python_regex(pattern, options);
  REQUIRE(s.ok());
  return *s;
}

std::string error(const std::string& pattern, bool bytes = false) {
  pyre::SyntaxOptions options;
  options.bytes = bytes;
  auto s = pyre::read_python_regex(pattern, options);
  if (s.ok()) return "OK";
  CHECK(s.error().kind() == ErrorKind::kInvalidInput);
  return s.error().message();
}

std::vector<TokenKind> kinds(const std::string& pattern) {
  std::vector<TokenKind> out;
  for (const auto& t : read(pattern).tokens) out.push_back(t.kind);
  return out;
}

std::string template_error(const std::string& tmpl, int groups = 1) {
  auto pieces = pyre::read_python_template(tmpl, groups, {{"name", 1}});
  return pieces.ok() ? "OK" : pieces.error().message();
}

}  // namespace

TEST_CASE("py_regex_syntax: escapes", "[core][pyre]") {
  auto s = read("\\d\\W\\A\\Z\\b\\B\\t\\x41\\101\\0\\.");
  REQUIRE(s.tokens.size() == 11);
  CHECK(s.tokens[0].kind == TokenKind::kSet);
  CHECK(s.tokens[0].matches() == pyre::digit_bytes());
  CHECK(s.tokens[1].negated);
  CHECK(s.tokens[1].matches() == ~pyre::word_bytes());
  CHECK(s.tokens[2].kind == TokenKind::kTextStart);
  CHECK(s.tokens[3].kind == TokenKind::kTextEnd);
  CHECK(s.tokens[4].kind == TokenKind::kWordBoundary);
  CHECK(s.tokens[5].kind == TokenKind::kNotWordBoundary);
  CHECK(s.tokens[6].text == "\t");
  CHECK(s.tokens[7].text == "A");
  CHECK(s.tokens[8].text == "A");  // three octal digits
  CHECK(s.tokens[9].text == std::string(1, '\0'));
  CHECK(s.tokens[10].text == ".");
  CHECK(s.tokens[10].pos == 24);
  CHECK(s.tokens[10].end == 26);
}

TEST_CASE("py_regex_syntax: str patterns read characters, bytes patterns bytes", "[core][pyre]") {
  auto str = read("é\\xe9\\u00e9\\U0001F600", false);
  REQUIRE(str.tokens.size() == 4);
  CHECK(str.tokens[0].text == "é");
  CHECK(str.tokens[1].text == "é");  // \xe9 names U+00E9 in a str pattern
  CHECK(str.tokens[2].text == "é");
  CHECK(str.tokens[3].text == "\xF0\x9F\x98\x80");
  auto bytes = read("é\\xe9");
  REQUIRE(bytes.tokens.size() == 3);
  CHECK(bytes.tokens[0].text == "\xC3");
  CHECK(bytes.tokens[2].text == "\xE9");
  CHECK(error("\\u00e9", true) == "bad escape \\u at position 0");
  // A non-ASCII member of a str class: its UTF-8 bytes, flagged.
  auto set = read("[aé]", false).tokens.at(0);
  CHECK(set.non_ascii);
  CHECK(set.set.test('a'));
  CHECK(set.set.test(0xC3));
  CHECK(set.set.test(0xA9));
  CHECK_FALSE(read("[a\\xe9]").tokens.at(0).non_ascii);
}

TEST_CASE("py_regex_syntax: classes", "[core][pyre]") {
  auto close_first = read("[]a]").tokens.at(0);
  CHECK(close_first.set.count() == 2);
  CHECK(close_first.set.test(']'));
  auto negated = read("[^]x-]").tokens.at(0);
  CHECK(negated.negated);
  CHECK(negated.set.count() == 3);
  CHECK(negated.set.test('-'));
  CHECK_FALSE(negated.matches().test('x'));
  auto range = read("[a-c\\d_]").tokens.at(0);
  CHECK(range.set.count() == 14);
  CHECK(read("[\\b]").tokens.at(0).set.test('\b'));  // a backspace inside a class
  CHECK(read("[\\W]").tokens.at(0).set == ~pyre::word_bytes());
  CHECK(read("[\\101]").tokens.at(0).set.test('A'));
}

TEST_CASE("py_regex_syntax: groups, references and flags", "[core][pyre]") {
  auto s = read("(?P<key>\\w+)(?:x)(y)(?P=key)\\2(?#note)(?=a)(?!b)(?<=c)(?<!d)");
  CHECK(s.groups == 2);
  CHECK(s.names.at("key") == 1);
  CHECK(s.group_names == std::vector<std::string>{"key", ""});
  CHECK(s.tokens.at(0).group_kind == pyre::GroupKind::kCapture);
  CHECK(s.tokens.at(0).name == "key");
  CHECK(s.tokens.at(4).group_kind == pyre::GroupKind::kNonCapture);
  CHECK(s.tokens.at(10).kind == TokenKind::kBackref);
  CHECK(s.tokens.at(10).group == 1);
  CHECK(s.tokens.at(11).group == 2);
  CHECK(s.tokens.at(12).group_kind == pyre::GroupKind::kLookahead);  // the comment left no token
  CHECK(s.tokens.at(15).group_kind == pyre::GroupKind::kNegativeLookahead);
  CHECK(s.tokens.at(18).group_kind == pyre::GroupKind::kLookbehind);
  CHECK(s.tokens.at(21).group_kind == pyre::GroupKind::kNegativeLookbehind);

  auto flags = read("(?i)(?m)a");
  CHECK(flags.flags == (pyre::kIgnoreCase | pyre::kMultiline));
  CHECK(flags.tokens.at(0).kind == TokenKind::kGlobalFlags);
  auto scoped = read("(?i-s:a)").tokens.at(0);
  CHECK(scoped.group_kind == pyre::GroupKind::kScopedFlags);
  CHECK(scoped.flags_on == pyre::kIgnoreCase);
  CHECK(scoped.flags_off == pyre::kDotAll);
  // Verbose: blanks and comments leave no token, inside a class they count.
  CHECK(kinds("(?x) a # note\n b [ ]") ==
        std::vector<TokenKind>{TokenKind::kGlobalFlags, TokenKind::kLiteral, TokenKind::kLiteral, TokenKind::kSet});
}

TEST_CASE("py_regex_syntax: repeats and literal braces", "[core][pyre]") {
  auto r = read("a{2,5}?b{3}c{,2}d{,}e*+");
  CHECK(r.tokens.at(1).min == 2);
  CHECK(r.tokens.at(1).max == 5);
  CHECK(r.tokens.at(1).lazy);
  CHECK(r.tokens.at(3).min == 3);
  CHECK(r.tokens.at(3).max == 3);
  CHECK(r.tokens.at(5).min == 0);
  CHECK(r.tokens.at(5).max == 2);
  CHECK(r.tokens.at(7).max == pyre::kUnbounded);  // {,} is {0,} as Python reads it
  CHECK(r.tokens.at(9).possessive);
  CHECK(kinds("a{") == std::vector<TokenKind>{TokenKind::kLiteral, TokenKind::kLiteral});
  CHECK(kinds("a{}") == std::vector<TokenKind>{TokenKind::kLiteral, TokenKind::kLiteral, TokenKind::kLiteral});
  CHECK(kinds("a{1") == std::vector<TokenKind>{TokenKind::kLiteral, TokenKind::kLiteral, TokenKind::kLiteral});
  CHECK(kinds("a{x}") == std::vector<TokenKind>(4, TokenKind::kLiteral));
  CHECK(read("a{99999999999999999999999}").tokens.at(1).min == pyre::kMaxCount);  // limits are the dialect's
  CHECK(kinds("(?=a)*").back() == TokenKind::kRepeat);
  CHECK(kinds("a(?#x)*").back() == TokenKind::kRepeat);
  // Balance is the translator's to check.
  CHECK(kinds("(a") == std::vector<TokenKind>{TokenKind::kGroupOpen, TokenKind::kLiteral});
  CHECK(kinds("a)") == std::vector<TokenKind>{TokenKind::kLiteral, TokenKind::kGroupClose});
}

TEST_CASE("py_regex_syntax: Python's messages for malformed patterns", "[core][pyre]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"*a", "nothing to repeat at position 0"},
      {"a**", "multiple repeat at position 2"},
      {"a*?+", "multiple repeat at position 3"},
      {"a{3,2}", "min repeat greater than max repeat at position 2"},
      {"[z-a]", "bad character range z-a at position 1"},
      {"[\\d-z]", "bad character range \\d-z at position 1"},
      {"[a-\\d]", "bad character range a-\\d at position 1"},
      {"a\\q", "bad escape \\q at position 1"},
      {"(?P<1a>x)", "bad character in group name '1a' at position 4"},
      {"(?P<>x)", "missing group name at position 4"},
      {"(?P<a", "missing >, unterminated name at position 4"},
      {"(?P=b)", "unknown group name 'b' at position 4"},
      {"(?P<a>x)(?P<a>y)", "redefinition of group name 'a' as group 2; was group 1 at position 12"},
      {"(a\\1)", "cannot refer to an open group at position 2"},
      {"\\2", "invalid group reference 2 at position 1"},
      {"\\8", "invalid group reference 8 at position 1"},
      {"(?P<a>(?P=a))", "cannot refer to an open group at position 10"},
      {"\\777", "octal escape value \\777 outside of range 0-0o377 at position 0"},
      {"[\\777]", "octal escape value \\777 outside of range 0-0o377 at position 1"},
      {"[\\8]", "bad escape \\8 at position 1"},
      {"a(?i)", "global flags not at the start of the expression at position 1"},
      {"(?iz)", "unknown flag at position 3"},
      {"(?i", "missing -, : or ) at position 3"},
      {"(?-i)", "missing : at position 4"},
      {"(?i-i:a)", "bad inline flags: flag turned on and off at position 5"},
      {"(?L)a", "bad inline flags: cannot use 'L' flag with a str pattern at position 3"},
      {"(?au)a", "bad inline flags: flags 'a', 'u' and 'L' are incompatible at position 4"},
      {"(?#abc", "missing ), unterminated comment at position 0"},
      {"(?<a)", "unknown extension ?<a at position 1"},
      {"(?Px)", "unknown extension ?Px at position 1"},
      {"(?", "unexpected end of pattern at position 2"},
      {"(?z)", "unknown extension ?z at position 1"},
      {"\\b*", "nothing to repeat at position 2"},
      {"^*", "nothing to repeat at position 1"},
      {"a|*", "nothing to repeat at position 2"},
      {"(*)", "nothing to repeat at position 1"},
      {"(?i)*", "nothing to repeat at position 4"},
      {"{1}", "nothing to repeat at position 0"},
      {"\\x4", "incomplete escape \\x4 at position 0"},
      {"\\u00e", "incomplete escape \\u00e at position 0"},
      {"\\U00110000", "bad escape \\U00110000 at position 0"},
      {"\\", "bad escape (end of pattern) at position 0"},
      {"[]", "unterminated character set at position 0"},
      {"[^]", "unterminated character set at position 0"},
      {"(?(1)a|b)", "invalid group reference 1 at position 3"},
      {"(?(x)a)", "unknown group name 'x' at position 3"},
      {"(?P<a>a)(?P=a", "missing ), unterminated name at position 12"},
      {"a\n\\q", "bad escape \\q at position 2 (line 2, column 1)"},
      // Python's tokenizer reads a backslash with the character after it, and
      // looks one such unit ahead: a lone final backslash is found first.
      {"{2}\\", "bad escape (end of pattern) at position 3"},
      {"(?\\<", "unknown extension ?\\< at position 1"},
      {"(?P<\\(b)0>", "bad character in group name '\\\\(b)0' at position 4"},
      // Positions count characters in a str pattern.
      {"é[", "unterminated character set at position 1"},
      {"(?-é", "unknown flag at position 3"},
      {"[?-é", "unterminated character set at position 0"},
  };
  for (const auto& [pattern, message] : cases) {
    INFO(pattern);
    CHECK(error(pattern) == message);
  }
  CHECK(error("(?u)a", true) == "bad inline flags: cannot use 'u' flag with a bytes pattern at position 3");
  CHECK(error("\\N{DIGIT ONE}") == "named Unicode escapes \\N{...} are not supported at position 0");
  CHECK(error("[a-é]") == "ranges of non-ASCII characters in a set are not supported at position 1");
}

TEST_CASE("py_regex_syntax: re.sub templates", "[core][pyre]") {
  auto pieces = pyre::read_python_template("<\\1|\\g<name>|\\g<0>|\\n\\\\\\-\\101\\0>", 1, {{"name", 1}});
  REQUIRE(pieces.ok());
  REQUIRE(pieces->size() == 7);
  CHECK((*pieces)[0].text == "<");
  CHECK((*pieces)[1].group == 1);
  CHECK((*pieces)[3].group == 1);
  CHECK((*pieces)[5].group == 0);
  CHECK((*pieces)[6].text == std::string("|\n\\\\-A") + '\0' + ">");
  CHECK(template_error("\\2") == "invalid group reference 2");
  CHECK(template_error("\\g<2>") == "invalid group reference 2");
  CHECK(template_error("\\g<nope>") == "unknown group name 'nope'");
  CHECK(template_error("\\g<a-b>") == "bad character in group name 'a-b'");
  CHECK(template_error("\\g<>") == "missing group name");
  CHECK(template_error("\\g1") == "missing <");
  CHECK(template_error("\\g<1") == "missing >, unterminated name");
  CHECK(template_error("\\q") == "bad escape \\q");
  CHECK(template_error("x\\") == "bad escape (end of pattern)");
  CHECK(template_error("\\777") == "octal escape value \\777 outside of range 0-0o377");
}
