#include "template_parser.h"

#include <algorithm>
#include <utility>

#include "lexer.h"
#include "parser.h"

namespace fleetk8s::tmpl::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// One piece of the scanned text.
struct Chunk {
  enum class Kind { kText, kOutput, kBlock };
  Kind kind = Kind::kText;
  size_t pos = 0;  // offset of the text or of the tag's "{{" / "{%"
  std::string text;
  Lexed lexed;
};

// Splits the text into chunks, applying whitespace control.
class Scanner {
 public:
  Scanner(std::string_view text, const Source& source, const TemplateOptions& options)
      : text_(text), source_(source), options_(options) {
    // Jinja drops one trailing newline (keep_trailing_newline=False).
    end_ = text.size();
    if (!text.empty() && text.back() == '\n') end_ -= 1;
  }

  Result<std::vector<Chunk>> run() {
    while (pos_ < end_) {
      size_t tag = find_tag(pos_);
      if (tag == std::string_view::npos) {
        add_text(pos_, end_, false, false);
        break;
      }
      char kind = text_[tag + 1];
      size_t inner = tag + 2;
      char modifier = inner < end_ ? text_[inner] : '\0';
      bool strip_before = modifier == '-';
      bool keep_before = modifier == '+' && kind != '{';
      if (strip_before || keep_before) ++inner;
      bool lstrip = options_.lstrip_blocks && kind != '{' && !keep_before;
      add_text(pos_, tag, strip_before, lstrip);
      Result<void> r = kind == '#' ? comment(tag, inner) : kind == '{' ? output(tag, inner) : block(tag, inner);
      if (!r) return r.error();
    }
    return std::move(chunks_);
  }

 private:
  size_t find_tag(size_t from) const {
    for (size_t i = text_.find('{', from); i != std::string_view::npos && i + 1 < end_; i = text_.find('{', i + 1)) {
      char next = text_[i + 1];
      if (next == '{' || next == '%' || next == '#') return i;
    }
    return std::string_view::npos;
  }

  // Adds text[begin, end) after the previous tag's and this tag's
  // whitespace control.
  void add_text(size_t begin, size_t end, bool strip_right, bool lstrip) {
    std::string_view piece = text_.substr(begin, end - begin);
    size_t offset = begin;
    if (strip_next_) {
      while (!piece.empty() && is_space(piece.front())) {
        line_starting_ = piece.front() == '\n';
        piece.remove_prefix(1);
        ++offset;
      }
    } else if (trim_newline_ && !piece.empty() && piece.front() == '\n') {
      piece.remove_prefix(1);
      ++offset;
      line_starting_ = true;
    }
    strip_next_ = trim_newline_ = false;
    if (strip_right) {
      while (!piece.empty() && is_space(piece.back())) piece.remove_suffix(1);
    } else if (lstrip) {
      size_t line = piece.rfind('\n');
      size_t start = line == std::string_view::npos ? 0 : line + 1;
      bool blank = std::all_of(piece.begin() + static_cast<std::ptrdiff_t>(start), piece.end(),
                               [](char c) { return c == ' ' || c == '\t'; });
      if ((line != std::string_view::npos || line_starting_) && blank) piece = piece.substr(0, start);
    }
    line_starting_ = false;
    if (!piece.empty()) {
      Chunk c;
      c.kind = Chunk::Kind::kText;
      c.pos = offset;
      c.text = std::string(piece);
      chunks_.push_back(std::move(c));
    }
  }

  void after_tag(bool strip, bool keep) {
    strip_next_ = strip;
    trim_newline_ = !strip && !keep && options_.trim_blocks;
  }

  Result<void> comment(size_t tag, size_t inner) {
    size_t close = text_.find("#}", inner);
    if (close == std::string_view::npos || close + 2 > end_) {
      return source_.error(tag, "unclosed comment: missing '#}'");
    }
    bool strip = close > inner && text_[close - 1] == '-';
    bool keep = close > inner && text_[close - 1] == '+';
    pos_ = close + 2;
    after_tag(strip, keep);
    return {};
  }

  Result<void> output(size_t tag, size_t inner) {
    auto lexed = lex(text_.substr(0, end_), inner, Terminator::kVariable, source_, options_.escape_backslashes);
    if (!lexed) return lexed.error();
    pos_ = lexed->end;
    strip_next_ = lexed->strip_after;
    Chunk c;
    c.kind = Chunk::Kind::kOutput;
    c.pos = tag;
    c.lexed = std::move(*lexed);
    chunks_.push_back(std::move(c));
    return {};
  }

  Result<void> block(size_t tag, size_t inner) {
    auto lexed = lex(text_.substr(0, end_), inner, Terminator::kBlock, source_);
    if (!lexed) return lexed.error();
    const auto& tokens = lexed->tokens;
    if (tokens.size() == 2 && tokens[0].is_name("raw")) return raw(tag, std::move(*lexed));
    pos_ = lexed->end;
    after_tag(lexed->strip_after, lexed->keep_after);
    Chunk c;
    c.kind = Chunk::Kind::kBlock;
    c.pos = tag;
    c.lexed = std::move(*lexed);
    chunks_.push_back(std::move(c));
    return {};
  }

  // {% raw %}...{% endraw %}: the content is text, taken as it is.
  Result<void> raw(size_t tag, Lexed open) {
    size_t search = open.end;
    for (;;) {
      size_t start = text_.find("{%", search);
      if (start == std::string_view::npos || start >= end_) {
        return source_.error(tag, "'raw' block is not closed: expected '{% endraw %}'");
      }
      size_t i = start + 2;
      bool strip_before = i < end_ && text_[i] == '-';
      if (i < end_ && (text_[i] == '-' || text_[i] == '+')) ++i;
      while (i < end_ && is_space(text_[i])) ++i;
      if (text_.substr(i, 6) != "endraw") {
        search = start + 2;
        continue;
      }
      auto close = lex(text_.substr(0, end_), i, Terminator::kBlock, source_);
      if (!close) return close.error();
      if (close->tokens.size() != 2) return source_.error(start, "unexpected text after 'endraw'");
      std::string_view content = text_.substr(open.end, start - open.end);
      if (open.strip_after) {
        while (!content.empty() && is_space(content.front())) content.remove_prefix(1);
      }
      if (strip_before) {
        while (!content.empty() && is_space(content.back())) content.remove_suffix(1);
      }
      if (!content.empty()) {
        Chunk c;
        c.kind = Chunk::Kind::kText;
        c.pos = open.end;
        c.text = std::string(content);
        chunks_.push_back(std::move(c));
      }
      pos_ = close->end;
      after_tag(close->strip_after, close->keep_after);
      return {};
    }
  }

  std::string_view text_;
  const Source& source_;
  const TemplateOptions& options_;
  size_t end_ = 0;
  size_t pos_ = 0;
  bool strip_next_ = false;    // the previous tag ended with '-'
  bool trim_newline_ = false;  // trim_blocks applies to the next text
  bool line_starting_ = true;  // for lstrip_blocks: the text starts a line
  std::vector<Chunk> chunks_;
};

constexpr std::string_view kUnsupportedTags[] = {"macro", "call", "filter", "include", "import", "from",
                                                 "extends", "block", "with", "autoescape", "do", "break",
                                                 "continue"};

// Builds statements from chunks.
class StatementParser {
 public:
  StatementParser(std::vector<Chunk> chunks, const Source& source) : chunks_(std::move(chunks)), source_(source) {}

  Result<Body> document() {
    std::string_view ended_by;
    return parse_body({}, ended_by);
  }

 private:
  // Statements up to one of `enders` (a block tag), which is consumed and
  // reported in `ended_by`; with no enders, up to the end of the text.
  Result<Body> parse_body(std::vector<std::string_view> enders, std::string_view& ended_by) {
    if (depth_ >= kMaxDepth && next_ < chunks_.size()) {
      return source_.error(chunks_[next_].pos, "blocks nested too deeply");
    }
    ++depth_;
    auto body = parse_body_unbounded(std::move(enders), ended_by);
    --depth_;
    return body;
  }

  Result<Body> parse_body_unbounded(std::vector<std::string_view> enders, std::string_view& ended_by) {
    Body body;
    while (next_ < chunks_.size()) {
      Chunk& chunk = chunks_[next_];
      if (chunk.kind == Chunk::Kind::kText) {
        if (!body.empty() && body.back().kind == Statement::Kind::kText) {  // around a comment
          body.back().text += chunk.text;
          ++next_;
          continue;
        }
        Statement s;
        s.kind = Statement::Kind::kText;
        s.pos = chunk.pos;
        s.text = std::move(chunk.text);
        body.push_back(std::move(s));
        ++next_;
        continue;
      }
      if (chunk.kind == Chunk::Kind::kOutput) {
        ExpressionParser p(chunk.lexed.tokens, source_, Terminator::kVariable);
        if (p.at_end()) return source_.error(p.peek().pos, "expected an expression, got 'end of expression'");
        auto expr = p.expression();
        if (!expr) return expr.error();
        if (auto r = p.expect_end(); !r) return r.error();
        Statement s;
        s.kind = Statement::Kind::kOutput;
        s.pos = chunk.pos;
        s.expr = std::move(*expr);
        body.push_back(std::move(s));
        ++next_;
        continue;
      }
      const Token& first = chunk.lexed.tokens[0];
      if (first.kind != Token::Kind::kName) {
        return source_.error(first.pos, "expected a tag name, got " + describe(first, Terminator::kBlock));
      }
      std::string_view tag = first.text;
      if (std::find(enders.begin(), enders.end(), tag) != enders.end()) {
        ended_by = tag;
        return body;
      }
      Result<Statement> s = Statement();
      if (tag == "if") s = parse_if();
      else if (tag == "for") s = parse_for();
      else if (tag == "set") s = parse_set();
      else return unexpected_tag(first);
      if (!s) return s.error();
      body.push_back(std::move(*s));
    }
    if (!enders.empty()) ended_by = {};
    return body;
  }

  Error unexpected_tag(const Token& tag) const {
    for (auto unsupported : kUnsupportedTags) {
      if (tag.text == unsupported) {
        return source_.error(tag.pos, "the '" + std::string(tag.text) + "' tag is not supported");
      }
    }
    static const std::string_view kEnders[] = {"elif", "else", "endif", "endfor", "endset", "endraw"};
    for (auto e : kEnders) {
      if (tag.text == e) return source_.error(tag.pos, "unexpected '" + std::string(tag.text) + "' tag");
    }
    return source_.error(tag.pos, "unknown tag '" + std::string(tag.text) + "'");
  }

  // A parser over the current block tag's tokens, past its name.
  ExpressionParser tag_parser() {
    ExpressionParser p(chunks_[next_].lexed.tokens, source_, Terminator::kBlock);
    p.advance();
    return p;
  }

  Error unclosed(size_t pos, const char* tag, const char* ender) const {
    return source_.error(pos, std::string("'") + tag + "' block is not closed: expected '{% " + ender + " %}'");
  }

  Result<void> finish_tag(ExpressionParser& p) {
    if (auto r = p.expect_end(); !r) return r;
    ++next_;
    return {};
  }

  Result<Statement> parse_if() {
    Statement s;
    s.kind = Statement::Kind::kIf;
    s.pos = chunks_[next_].pos;
    for (;;) {
      auto p = tag_parser();
      const std::string_view tag = chunks_[next_].lexed.tokens[0].text;
      if (tag == "endif") {
        if (auto r = finish_tag(p); !r) return r.error();
        return s;
      }
      bool is_else = tag == "else";
      if (!is_else) {
        auto condition = p.expression();
        if (!condition) return condition.error();
        s.conditions.push_back(std::move(*condition));
      }
      if (auto r = finish_tag(p); !r) return r.error();
      std::string_view ended_by;
      auto body = parse_body(is_else ? std::vector<std::string_view>{"endif"}
                                     : std::vector<std::string_view>{"elif", "else", "endif"},
                             ended_by);
      if (!body) return body.error();
      if (ended_by.empty()) return unclosed(s.pos, "if", "endif");
      if (is_else) s.else_body = std::move(*body);
      else s.bodies.push_back(std::move(*body));
    }
  }

  Result<std::vector<std::string>> targets(ExpressionParser& p) {
    std::vector<std::string> names;
    bool parenthesized = p.skip_op("(");
    static const std::string_view kKeywords[] = {"in", "if", "else", "and", "or", "not", "is"};
    do {
      const Token& t = p.peek();
      bool keyword = std::find(std::begin(kKeywords), std::end(kKeywords), t.text) != std::end(kKeywords);
      if (t.kind != Token::Kind::kName || keyword) return p.expected("a variable name");
      names.emplace_back(p.advance().text);
    } while (p.skip_op(","));
    if (parenthesized && !p.skip_op(")")) return p.expected("')'");
    return names;
  }

  Result<Statement> parse_for() {
    Statement s;
    s.kind = Statement::Kind::kFor;
    s.pos = chunks_[next_].pos;
    auto p = tag_parser();
    auto names = targets(p);
    if (!names) return names.error();
    s.targets = std::move(*names);
    if (!p.skip_name("in")) return p.expected("'in'");
    auto iterable = p.tuple(/*with_condition=*/false);
    if (!iterable) return iterable.error();
    s.expr = std::move(*iterable);
    if (p.skip_name("if")) {
      auto filter = p.expression();
      if (!filter) return filter.error();
      s.filter = std::move(*filter);
    }
    if (p.peek().is_name("recursive")) return source_.error(p.peek().pos, "recursive loops are not supported");
    if (auto r = finish_tag(p); !r) return r.error();
    std::string_view ended_by;
    auto body = parse_body({"else", "endfor"}, ended_by);
    if (!body) return body.error();
    if (ended_by.empty()) return unclosed(s.pos, "for", "endfor");
    s.body = std::move(*body);
    if (ended_by == "else") {
      auto else_p = tag_parser();
      if (auto r = finish_tag(else_p); !r) return r.error();
      auto otherwise = parse_body({"endfor"}, ended_by);
      if (!otherwise) return otherwise.error();
      if (ended_by.empty()) return unclosed(s.pos, "for", "endfor");
      s.else_body = std::move(*otherwise);
    }
    auto end_p = tag_parser();
    if (auto r = finish_tag(end_p); !r) return r.error();
    return s;
  }

  Result<Statement> parse_set() {
    Statement s;
    s.kind = Statement::Kind::kSet;
    s.pos = chunks_[next_].pos;
    auto p = tag_parser();
    auto names = targets(p);
    if (!names) return names.error();
    s.targets = std::move(*names);
    if (p.skip_op("=")) {
      auto value = p.tuple(/*with_condition=*/true);
      if (!value) return value.error();
      s.expr = std::move(*value);
      if (auto r = finish_tag(p); !r) return r.error();
      return s;
    }
    if (s.targets.size() != 1) return p.expected("'='");
    if (auto r = finish_tag(p); !r) return r.error();
    std::string_view ended_by;
    auto body = parse_body({"endset"}, ended_by);
    if (!body) return body.error();
    if (ended_by.empty()) return unclosed(s.pos, "set", "endset");
    s.body = std::move(*body);
    auto end_p = tag_parser();
    if (auto r = finish_tag(end_p); !r) return r.error();
    return s;
  }

  static constexpr int kMaxDepth = 100;
  std::vector<Chunk> chunks_;
  const Source& source_;
  size_t next_ = 0;
  int depth_ = 0;
};

}  // namespace

bool has_template_markers(std::string_view text) {
  for (size_t i = text.find('{'); i != std::string_view::npos && i + 1 < text.size(); i = text.find('{', i + 1)) {
    char next = text[i + 1];
    if (next == '{' || next == '%' || next == '#') return true;
  }
  return false;
}

Result<std::shared_ptr<const ParsedTemplate>> parse_template(std::string_view original, const Origin& where,
                                                             const TemplateOptions& options, bool exact,
                                                             const std::string& path) {
  std::string normalized;
  if (original.find('\r') != std::string_view::npos) {
    for (size_t i = 0; i < original.size(); ++i) {
      if (original[i] != '\r') normalized += original[i];
      else if (i + 1 >= original.size() || original[i + 1] != '\n') normalized += '\n';
    }
  }
  std::string_view text = normalized.empty() ? original : std::string_view(normalized);
  auto parsed = std::make_shared<ParsedTemplate>(ParsedTemplate{Source(text, where, exact, path), {}});
  auto chunks = Scanner(text, parsed->source, options).run();
  if (!chunks) return chunks.error();
  auto body = StatementParser(std::move(*chunks), parsed->source).document();
  if (!body) return body.error();
  parsed->body = std::move(*body);
  while (parsed->trailing_newlines < text.size() && text[text.size() - 1 - parsed->trailing_newlines] == '\n') {
    ++parsed->trailing_newlines;
  }
  parsed->single_expression = parsed->trailing_newlines == 0 && parsed->body.size() == 1 &&
                              parsed->body[0].kind == Statement::Kind::kOutput;
  return std::shared_ptr<const ParsedTemplate>(std::move(parsed));
}

}  // namespace fleetk8s::tmpl::detail
