// Operators, precedence, literals and access, with Jinja's semantics
// (checked against Jinja 2/3 and ansible-core 2.14).
#include <cmath>

#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("expressions: literals", "[template][expression]") {
  CHECK(eval("[1, 'a', none, true, 1.5]") == Value(Value::Array{Value(1), Value("a"), Value(), Value(true), Value(1.5)}));
  CHECK(eval("[]") == Value(Value::Array{}));
  CHECK(eval("{}") == Value(Value::Object{}));
  CHECK(eval("{'a': 1, \"b\": [2],}") == Value(Value::Object{{"a", Value(1)}, {"b", Value(Value::Array{Value(2)})}}));
  CHECK(eval("(1, 2)") == lit("[1, 2]"));  // tuples are lists
  CHECK(eval("(1,)") == lit("[1]"));
  CHECK(eval("()") == lit("[]"));
  CHECK(eval("(1)") == Value(1));
  CHECK(eval("{1: 'a', true: 'b'}") == lit("{'1': 'a', 'True': 'b'}"));  // keys become strings
  CHECK(eval_error("{[1]: 2}") == "x.yml:14:10: unhashable type: 'list'");
}

TEST_CASE("expressions: arithmetic as in Python", "[template][expression]") {
  CHECK(eval("1 + 2 * 3") == Value(7));
  CHECK(eval("(1 + 2) * 3") == Value(9));
  CHECK(eval("7 / 2") == Value(3.5));
  CHECK(eval("10 / 2") == Value(5.0));
  CHECK(eval("7 // 2") == Value(3));
  CHECK(eval("-7 // 2") == Value(-4));
  CHECK(eval("7 // -2") == Value(-4));
  CHECK(eval("-7 % 3") == Value(2));
  CHECK(eval("7 % -3") == Value(-2));
  CHECK(eval("10 % 3.5") == Value(3.0));
  CHECK(eval("7.0 // 2") == Value(3.0));
  CHECK(eval("2 ** 10") == Value(1024));
  CHECK(eval("2 ** -1") == Value(0.5));
  CHECK(eval("2 ** 0.5") == Value(std::sqrt(2.0)));
  CHECK(eval("1 + 1.5") == Value(2.5));
  CHECK(eval("true + 1") == Value(2));
  CHECK(eval("'ab' + 'cd'") == Value("abcd"));
  CHECK(eval("[1] + [2]") == lit("[1, 2]"));
  CHECK(eval("'ab' * 2") == Value("abab"));
  CHECK(eval("3 * [0]") == lit("[0, 0, 0]"));
  CHECK(eval("-n") == Value(-5));
  CHECK(eval("+pi") == Value(3.14));
  CHECK(eval("1 ~ 2 ~ 'x' ~ none ~ true") == Value("12xNoneTrue"));
  CHECK(eval("lst ~ d.n") == Value("['a', 'b', 'c']{'x': 2}"));
}

TEST_CASE("expressions: arithmetic errors read as Python's", "[template][expression]") {
  CHECK(eval_error("1 / 0") == "x.yml:14:11: division by zero");
  CHECK(eval_error("1 // 0") == "x.yml:14:11: integer division or modulo by zero");
  CHECK(eval_error("1.0 % 0") == "x.yml:14:13: float modulo");
  CHECK(eval_error("'a' + 1") == "x.yml:14:13: can only concatenate str (not \"int\") to str");
  CHECK(eval_error("1 + 'a'") == "x.yml:14:11: unsupported operand type(s) for +: 'int' and 'str'");
  CHECK(eval_error("-s") == "x.yml:14:9: bad operand type for unary -: 'str'");
  CHECK(eval_error("9223372036854775807 + 1") ==
        "x.yml:14:29: integer overflow (values beyond 64 bits are not supported)");
}

TEST_CASE("expressions: precedence follows Jinja, not Python", "[template][expression]") {
  // Unary minus binds tighter than **, and ** is left-associative.
  CHECK(eval("-2 ** 2") == Value(4));
  CHECK(eval("2 ** 3 ** 2") == Value(64));
  // `not` binds looser than `in` and comparisons.
  CHECK(eval("not 'a' in lst") == Value(false));
  CHECK(eval("not n == 5") == Value(false));
  // `and` binds tighter than `or`.
  CHECK(eval("zero or n and 0") == Value(0));
  CHECK(eval("t or f and f") == Value(true));
  // Filters bind tighter than arithmetic and apply after unary minus.
  CHECK(eval("-3 | abs") == Value(3));
  CHECK(eval("1 + nums | length") == Value(4));
  CHECK(eval_error("1 + 2 | string") == "x.yml:14:11: unsupported operand type(s) for +: 'int' and 'str'");
  // ~ binds tighter than + and looser than *.
  CHECK(eval("2 ~ 3 * 2") == Value("26"));
  CHECK(eval_error("1 + 2 ~ 3") == "x.yml:14:11: unsupported operand type(s) for +: 'int' and 'str'");
  // A test applies to the primary before it.
  CHECK(eval("n + 1 is odd") == Value(6));  // 5 + (1 is odd) = 5 + True
  CHECK(eval("(n + 1) is odd") == Value(false));
  CHECK(eval("not s is string") == Value(false));
  // The conditional expression is the loosest.
  CHECK(eval("'a' if f else 'b' ~ 'c'") == Value("bc"));
  CHECK(eval("1 if f else 2 if t else 3") == Value(2));
}

TEST_CASE("expressions: comparisons and membership", "[template][expression]") {
  CHECK(eval("1 == 1.0") == Value(true));
  CHECK(eval("true == 1") == Value(true));
  CHECK(eval("'1' == 1") == Value(false));
  CHECK(eval("[1, 2] == [1, 2.0]") == Value(true));
  CHECK(eval("d == {'n': {'x': 2}, 'k': 1}") == Value(true));
  CHECK(eval("1 < 2 < 3") == Value(true));
  CHECK(eval("3 > 2 > 2") == Value(false));
  CHECK(eval("'a' < 'b'") == Value(true));
  CHECK(eval("[1, 2] < [1, 3]") == Value(true));
  CHECK(eval("n != 4") == Value(true));
  CHECK(eval("'b' in lst") == Value(true));
  CHECK(eval("'k' in d") == Value(true));
  CHECK(eval("'ell' in s") == Value(true));
  CHECK(eval("4 not in nums") == Value(true));
  CHECK(eval_error("1 < 'a'") == "x.yml:14:11: '<' not supported between instances of 'int' and 'str'");
  CHECK(eval_error("1 in s") == "x.yml:14:14: 'in <string>' requires string as left operand, not int");
  CHECK(eval_error("1 in 5") == "x.yml:14:14: argument of type 'int' is not iterable");
}

TEST_CASE("expressions: and / or return an operand, not a bool", "[template][expression]") {
  CHECK(eval("t and 'yes'") == Value("yes"));
  CHECK(eval("empty and 'yes'") == Value(""));
  CHECK(eval("f or 'fallback'") == Value("fallback"));
  CHECK(eval("s or 'fallback'") == Value("hello"));
  CHECK(eval("not empty") == Value(true));
  // Short-circuit: the right side is not evaluated.
  CHECK(eval("t or undefined_thing") == Value(true));
  CHECK(eval("f and undefined_thing") == Value(false));
}

TEST_CASE("expressions: the if-else form", "[template][expression]") {
  CHECK(eval("'a' if t else 'b'") == Value("a"));
  CHECK(eval("'a' if f else 'b'") == Value("b"));
  CHECK(eval("'a' if f") == Value());  // no else: nothing
  CHECK(text("[{{ 'a' if f }}]") == "[]");
  CHECK(eval("('a' if f) is defined") == Value(false));
}

TEST_CASE("expressions: attribute, item and slice access", "[template][expression]") {
  CHECK(eval("d.k") == Value(1));
  CHECK(eval("d['k']") == Value(1));
  CHECK(eval("d.n.x") == Value(2));
  CHECK(eval("d['n']['x']") == Value(2));
  CHECK(eval("users[1].name") == Value("bob"));
  CHECK(eval("users.0.name") == Value("alice"));
  CHECK(eval("lst[-1]") == Value("c"));
  CHECK(eval("lst[0:2]") == lit("['a', 'b']"));
  CHECK(eval("lst[1:]") == lit("['b', 'c']"));
  CHECK(eval("lst[:-1]") == lit("['a', 'b']"));
  CHECK(eval("lst[::-1]") == lit("['c', 'b', 'a']"));
  CHECK(eval("lst[::2]") == lit("['a', 'c']"));
  CHECK(eval("s[1]") == Value("e"));
  CHECK(eval("s[1:3]") == Value("el"));
  CHECK(eval("s[::-1]") == Value("olleh"));
  CHECK(eval("'h\xC3\xA9llo'[1]") == Value("\xC3\xA9"));  // indexes count characters
  CHECK(eval("[[1, 2], [3]][0][1]") == Value(2));
  CHECK(eval("{'a': {'b': 3}}.a.b") == Value(3));
  CHECK(eval("d[key]", tmpl::MapScope(lit("{'d': {'k': 1}, 'key': 'k'}").as_object())) == Value(1));
  CHECK(eval_error("n[1:2]") == "x.yml:14:10: 'int' object is not subscriptable");
  CHECK(eval_error("lst[::0]") == "x.yml:14:12: slice step cannot be zero");
}

TEST_CASE("expressions: Python methods on strings, dicts and lists", "[template][expression]") {
  CHECK(eval("s.startswith('he')") == Value(true));
  CHECK(eval("s.endswith(('x', 'lo'))") == Value(true));
  CHECK(eval("s.upper()") == Value("HELLO"));
  CHECK(eval("'a,b,c'.split(',')") == lit("['a', 'b', 'c']"));
  CHECK(eval("'a-b-c'.rsplit('-', 1)") == lit("['a-b', 'c']"));
  CHECK(eval("'  x  '.strip()") == Value("x"));
  CHECK(eval("'xxhixx'.lstrip('x')") == Value("hixx"));
  CHECK(eval("s.replace('l', 'L')") == Value("heLLo"));
  CHECK(eval("s.find('l')") == Value(2));
  CHECK(eval("s.find('z')") == Value(-1));
  CHECK(eval("s.count('l')") == Value(2));
  CHECK(eval("'a\\nb'.splitlines()") == lit("['a', 'b']"));
  CHECK(eval("','.join(lst)") == Value("a,b,c"));
  CHECK(eval("'{}-{}'.format('a', 1)") == Value("a-1"));
  CHECK(eval("'{1}{0}'.format('a', 'b')") == Value("ba"));
  CHECK(eval("'123'.isdigit()") == Value(true));
  CHECK(eval("d.keys() | list") == lit("['k', 'n']"));
  CHECK(eval("d.items() | list") == lit("[['k', 1], ['n', {'x': 2}]]"));
  CHECK(eval("d.get('k')") == Value(1));
  CHECK(eval("d.get('zz', 'dflt')") == Value("dflt"));
  CHECK(eval("d.get('zz')") == Value());
  CHECK(eval("nums.index(2)") == Value(2));
  CHECK(eval("[1, 2, 2].count(2)") == Value(2));
  CHECK(eval_error("n.startswith('a')") == "x.yml:14:11: 'int object' has no attribute 'startswith'");
  CHECK(eval_error("s.strp()") == "x.yml:14:11: unknown method 'strp'");
  CHECK(eval_error("','.join([1])") ==
        "x.yml:14:13: method 'join': sequence item 0: expected str instance, int found");
}

TEST_CASE("expressions: range()", "[template][expression]") {
  CHECK(eval("range(3) | list") == lit("[0, 1, 2]"));
  CHECK(eval("range(1, 10, 3)") == lit("[1, 4, 7]"));
  CHECK(eval("range(5, 0, -2)") == lit("[5, 3, 1]"));
  CHECK(eval("range(0)") == lit("[]"));
  CHECK(eval_error("range(1, 2, 0)") == "x.yml:14:9: function 'range': arg 3 must not be zero");
  CHECK(eval_error("lookup('env', 'HOME')") == "x.yml:14:9: unknown function 'lookup'");
}

TEST_CASE("expressions: printf-style % formatting", "[template][expression]") {
  CHECK(eval("'%s-%d' % ('a', 3)") == Value("a-3"));
  CHECK(eval("'%s' % lst") == Value("['a', 'b', 'c']"));  // one argument unless a tuple literal
  CHECK(eval("'%05.1f|%-4s|%x|%%' % (3.14159, 'ab', 255)") == Value("003.1|ab  |ff|%"));
  CHECK(eval("'%(k)s/%(n)s' % d") == Value("1/{'x': 2}"));
  CHECK(eval_error("'%d' % 'x'") == "x.yml:14:14: %d format: a real number is required, not str");
  // A float past int64 prints its exact value, as Python's int() does (the cast was undefined).
  CHECK(eval("'%d' % 1e300") == Value("1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"));
  CHECK(eval("'%i|%u' % (-1e19, 2.0**63)") == Value("-10000000000000000000|9223372036854775808"));
  CHECK(eval("'%d' % -0.5") == Value("0"));
  CHECK(eval_error("'%d' % ('nan' | float)") == "x.yml:14:14: cannot convert float NaN to integer");
  CHECK(eval_error("'%d' % ('inf' | float)") == "x.yml:14:14: cannot convert float infinity to integer");
  CHECK(eval_error("'%s %s' % ('a',)") == "x.yml:14:17: not enough arguments for format string");
}

TEST_CASE("expressions: parse once, evaluate against many scopes", "[template][expression]") {
  auto e = tmpl::Expression::parse("host ~ ':' ~ (port | default(22))", kOrigin);
  REQUIRE(e.ok());
  tmpl::MapScope web(lit("{'host': 'web1', 'port': 8080}").as_object());
  tmpl::MapScope db(lit("{'host': 'db1'}").as_object());
  CHECK(*e->eval(web) == Value("web1:8080"));
  CHECK(*e->eval(db) == Value("db1:22"));
  auto copy = *e;  // copies share the parsed tree
  CHECK(*copy.eval(web) == Value("web1:8080"));
}
