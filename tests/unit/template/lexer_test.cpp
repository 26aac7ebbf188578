// Tokenizer edge cases, observed through expression results.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("lexer: integers in every base, with underscores", "[template][lexer]") {
  CHECK(eval("42") == Value(42));
  CHECK(eval("0") == Value(0));
  CHECK(eval("0x1f") == Value(31));
  CHECK(eval("0X1F") == Value(31));
  CHECK(eval("0o17") == Value(15));
  CHECK(eval("0b101") == Value(5));
  CHECK(eval("1_000_000") == Value(1000000));
  CHECK(eval("0x_ff") == Value(255));
  CHECK(eval("9223372036854775807") == Value(std::int64_t{9223372036854775807}));
  CHECK(eval_error("99999999999999999999") == "x.yml:14:9: integer literal too large: 99999999999999999999");
}

TEST_CASE("lexer: floats need digits on both sides of the dot", "[template][lexer]") {
  CHECK(eval("1.5") == Value(1.5));
  CHECK(eval("1e3") == Value(1000.0));
  CHECK(eval("2.5e-1") == Value(0.25));
  CHECK(eval("1_0.2_5") == Value(10.25));
  // "x.0.1" is two subscripts, not x[0.1].
  CHECK(eval("{'a': [[1, 2]]}.a.0.1") == Value(2));
  // "1." is not a float: the dot starts an attribute.
  CHECK(eval_error("1.") == "x.yml:14:11: expected an attribute name after '.', got 'end of expression'");
}

TEST_CASE("lexer: strings with Python escapes, both quotes, adjacent ones joined", "[template][lexer]") {
  CHECK(eval(R"('single')") == Value("single"));
  CHECK(eval(R"("double")") == Value("double"));
  CHECK(eval(R"("it's")") == Value("it's"));
  CHECK(eval(R"('it\'s')") == Value("it's"));
  CHECK(eval(R"("a\tb\nc\\d")") == Value("a\tb\nc\\d"));
  CHECK(eval(R"("\x41\u00e9\U0001F600")") == Value("A\xC3\xA9\xF0\x9F\x98\x80"));
  CHECK(eval(R"("\101")") == Value("A"));  // octal
  CHECK(eval(R"("\d\.")") == Value("\\d\\."));  // unknown escapes stay as written
  CHECK(eval(R"('a' "b" 'c')") == Value("abc"));
  CHECK(eval("'multi\nline'") == Value("multi\nline"));
  CHECK(eval("''") == Value(""));
}

TEST_CASE("lexer: names, keywords and constants", "[template][lexer]") {
  CHECK(eval("true") == Value(true));
  CHECK(eval("True") == Value(true));
  CHECK(eval("false") == Value(false));
  CHECK(eval("False") == Value(false));
  CHECK(eval("none") == Value());
  CHECK(eval("None") == Value());
  CHECK(eval("_x", tmpl::MapScope(lit("{'_x': 1}").as_object())) == Value(1));
  CHECK(eval("n2", tmpl::MapScope(lit("{'n2': 2}").as_object())) == Value(2));
  // Keywords are recognized as whole names only.
  CHECK(eval("notes", tmpl::MapScope(lit("{'notes': 'x'}").as_object())) == Value("x"));
  CHECK(eval("index", tmpl::MapScope(lit("{'index': 3}").as_object())) == Value(3));
}

TEST_CASE("lexer: whitespace and newlines between tokens", "[template][lexer]") {
  CHECK(eval("  1\n+\t2  ") == Value(3));
  CHECK(eval("[\n  1,\n  2,\n]") == lit("[1, 2]"));
  CHECK(eval("n>=5") == Value(true));
  CHECK(eval("n//2") == Value(2));
  CHECK(eval("2**3") == Value(8));
}

TEST_CASE("lexer: errors name the character and its column", "[template][lexer]") {
  CHECK(eval_error("1 ! 2") == "x.yml:14:11: unexpected character '!'");
  CHECK(eval_error("'open") == "x.yml:14:9: unterminated string literal");
  CHECK(eval_error("(1]") == "x.yml:14:11: unexpected ']', expected ')'");
  CHECK(eval_error("1)") == "x.yml:14:10: unexpected ')'");
  CHECK(eval_error("n $") == "x.yml:14:11: unexpected character '$'");
}

TEST_CASE("lexer: {{ }} ends at the first }} outside a dict literal", "[template][lexer]") {
  CHECK(render("{{ {'a': {'b': 1}} }}") == lit("{'a': {'b': 1}}"));
  CHECK(render("{{ {'a': {'b': 1}}}}") == lit("{'a': {'b': 1}}"));
  CHECK(text("{{ '}}' }}!") == "}}!");
  CHECK(text("{{ '%}' }}") == "%}");
  CHECK(text("a {{ 1 }} b {{ 2 }}") == "a 1 b 2");
  CHECK(render_error("{{ x | default(1 }}") == "x.yml:14:26: expected ')' after arguments, got 'end of expression'");
}
