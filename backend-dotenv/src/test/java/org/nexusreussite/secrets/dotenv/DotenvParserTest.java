package org.nexusreussite.secrets.dotenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.InvalidSecretSourceException;

/**
 * One case per parser rule. Cases are drawn from the reference parsers' public test suites and docs:
 * motdotla/dotenv {@code tests/.env}, {@code tests/test-parse.js}, {@code tests/.env-multiline},
 * {@code tests/.env.bom}; motdotla/dotenv-expand {@code tests/.env.test}; python-dotenv's README
 * (inline comments, escapes). Where we deliberately differ, the test says so and why.
 */
class DotenvParserTest {

  /** A known secret that must never show up in an exception message or a warning. */
  private static final String CANARY = "canary-7f3c9a1e-do-not-log";

  private static final Map<String, String> ENV = Map.of("MACHINE", "machine_env", "EMPTY_ENV", "");

  /** Lenient mode: bad lines are skipped and reported here. */
  private final List<InvalidSecretSourceException> skipped = new ArrayList<>();
  private final DotenvParser lenient = new DotenvParser("dotenv", Map.of(), true, skipped::add);

  private static Map<String, String> parse(String content) {
    return DotenvParser.strict(ENV).parse(".env", content);
  }

  private static String value(String content, String key) {
    Map<String, String> values = parse(content);
    assertThat(values).containsKey(key);
    return values.get(key);
  }

  private static InvalidSecretSourceException error(String content) {
    try {
      parse(content);
    } catch (InvalidSecretSourceException e) {
      assertThat(e.getMessage()).doesNotContain(CANARY);
      return e;
    }
    throw new AssertionError("expected an InvalidSecretSourceException");
  }

  // ---------------------------------------------------------------- basics

  @Test
  void basicKeyValue() { // motdotla test-parse.js: "sets basic environment variable"
    assertThat(parse("BASIC=basic")).containsExactly(entry("BASIC", "basic"));
  }

  @Test
  void readsAfterABlankLine() { // motdotla: "reads after a skipped line"
    assertThat(parse("BASIC=basic\n\n# previous line intentionally left blank\nAFTER_LINE=after_line\n"))
        .containsExactly(entry("BASIC", "basic"), entry("AFTER_LINE", "after_line"));
  }

  @Test
  void emptyValueIsTheEmptyString() { // motdotla: "defaults empty values to empty string"
    assertThat(value("EMPTY=", "EMPTY")).isEmpty();
    assertThat(value("EMPTY=   ", "EMPTY")).isEmpty();
  }

  @Test
  void emptyQuotedValuesAreEmptyStrings() { // motdotla tests/.env: EMPTY_SINGLE_QUOTES, ..._DOUBLE_, ..._BACKTICKS
    assertThat(parse("A=''\nB=\"\"\nC=``\n")).containsExactly(entry("A", ""), entry("B", ""), entry("C", ""));
  }

  @Test
  void equalSignsInsideTheValueAreKept() { // motdotla: "respects equals signs in values"
    assertThat(value("EQUAL_SIGNS=equals==", "EQUAL_SIGNS")).isEqualTo("equals==");
    assertThat(value("URL=postgres://u:p@h/db?sslmode=require&a=b", "URL"))
        .isEqualTo("postgres://u:p@h/db?sslmode=require&a=b");
  }

  @Test
  void innerQuotesOfAnUnquotedValueAreKept() { // motdotla: "retains inner quotes"
    assertThat(value("RETAIN_INNER_QUOTES={\"foo\": \"bar\"}", "RETAIN_INNER_QUOTES")).isEqualTo("{\"foo\": \"bar\"}");
  }

  @Test
  void trailingQuotesOfAnUnquotedValueAreKept() { // motdotla: "retains trailing double/single quote"
    assertThat(value("A=retained\"", "A")).isEqualTo("retained\"");
    assertThat(value("B=retained'", "B")).isEqualTo("retained'");
    assertThat(value("C=it's", "C")).isEqualTo("it's");
  }

  @Test
  void whitespaceAroundAnUnquotedValueIsTrimmed() { // motdotla: TRIM_SPACE_FROM_UNQUOTED
    assertThat(value("TRIM_SPACE_FROM_UNQUOTED=    some spaced out string   \t", "TRIM_SPACE_FROM_UNQUOTED"))
        .isEqualTo("some spaced out string");
  }

  @Test
  void emailAddressesParseCompletely() { // motdotla: "parses email addresses completely"
    assertThat(value("USERNAME=therealnerdybeast@example.tld", "USERNAME"))
        .isEqualTo("therealnerdybeast@example.tld");
  }

  @Test
  void keysAndValuesSurroundedBySpaces() { // motdotla: "parses keys and values surrounded by spaces"
    assertThat(parse("    SPACED_KEY = parsed\n\tTABBED\t=\tx")).containsExactly(
        entry("SPACED_KEY", "parsed"), entry("TABBED", "x"));
  }

  @Test
  void exportPrefixIsIgnored() { // python-dotenv README and Ruby dotenv: "export KEY=value" lines
    assertThat(parse("export BASIC=basic\nexport\tTABBED=t\nexport   SPACED = s"))
        .containsExactly(entry("BASIC", "basic"), entry("TABBED", "t"), entry("SPACED", "s"));
  }

  @Test
  void aKeyNamedExportIsStillAKey() {
    assertThat(parse("export=yes")).containsExactly(entry("export", "yes"));
  }

  @Test
  void duplicateKeysLastOneWins() { // motdotla README: "if a key is defined more than once, the last one wins"
    assertThat(parse("DUP=first\nOTHER=o\nDUP=second")).containsExactly(entry("DUP", "second"), entry("OTHER", "o"));
  }

  @Test
  void keysWithDotsAndDashes() { // motdotla key pattern [\w.-]+; dotenv-expand POSTGRESQL.BASE.USER
    assertThat(parse("POSTGRESQL.BASE.USER=postgres\nmy-app.db-url=x"))
        .containsExactly(entry("POSTGRESQL.BASE.USER", "postgres"), entry("my-app.db-url", "x"));
  }

  @Test
  void unicodeValuesAreKept() {
    assertThat(value("GREETING=héllo wörld ✓", "GREETING")).isEqualTo("héllo wörld ✓");
  }

  // ---------------------------------------------------------------- quotes

  @Test
  void singleQuotesAreRemoved() { // motdotla: "escapes single quoted values"
    assertThat(value("SINGLE_QUOTES='single_quotes'", "SINGLE_QUOTES")).isEqualTo("single_quotes");
  }

  @Test
  void spacesInsideSingleQuotesAreKept() { // motdotla: "respects surrounding spaces in single quotes"
    assertThat(value("S='    single quotes    '", "S")).isEqualTo("    single quotes    ");
  }

  @Test
  void doubleQuotesAreRemoved() { // motdotla: "escapes double quoted values"
    assertThat(value("DOUBLE_QUOTES=\"double_quotes\"", "DOUBLE_QUOTES")).isEqualTo("double_quotes");
  }

  @Test
  void spacesInsideDoubleQuotesAreKept() { // motdotla: "respects surrounding spaces in double quotes"
    assertThat(value("D=\"    double quotes    \"", "D")).isEqualTo("    double quotes    ");
  }

  @Test
  void backticksAreRemoved() { // motdotla tests/.env: BACKTICKS='backticks'
    assertThat(value("BACKTICKS=`backticks`", "BACKTICKS")).isEqualTo("backticks");
    assertThat(value("B=`  spaced  `", "B")).isEqualTo("  spaced  ");
  }

  @Test
  void otherQuotesInsideQuotesAreKept() { // motdotla: DOUBLE_QUOTES_INSIDE_SINGLE, ..._INSIDE_BACKTICKS
    assertThat(value("A='double \"quotes\" work inside single quotes'", "A"))
        .isEqualTo("double \"quotes\" work inside single quotes");
    assertThat(value("B=\"single 'quotes' work inside double quotes\"", "B"))
        .isEqualTo("single 'quotes' work inside double quotes");
    assertThat(value("C=`double \"quotes\" and single 'quotes' work inside backticks`", "C"))
        .isEqualTo("double \"quotes\" and single 'quotes' work inside backticks");
  }

  @Test
  void quotedJsonIsKept() { // motdotla: RETAIN_INNER_QUOTES_AS_STRING
    assertThat(value("J='{\"foo\": \"bar\"}'", "J")).isEqualTo("{\"foo\": \"bar\"}");
  }

  @Test
  void spacesBetweenEqualsAndTheQuoteAreIgnored() {
    assertThat(value("Q =   \"value\"   ", "Q")).isEqualTo("value");
  }

  // ---------------------------------------------------------------- escapes

  @Test
  void newlinesExpandOnlyInDoubleQuotes() { // motdotla: "expands newlines but only if double quoted"
    Map<String, String> v = parse("""
        EXPAND_NEWLINES="expand\\nnew\\nlines"
        DONT_EXPAND_UNQUOTED=dontexpand\\nnewlines
        DONT_EXPAND_SQUOTED='dontexpand\\nnewlines'
        DONT_EXPAND_BACKTICKS=`dontexpand\\nnewlines`
        """);
    assertThat(v.get("EXPAND_NEWLINES")).isEqualTo("expand\nnew\nlines");
    assertThat(v.get("DONT_EXPAND_UNQUOTED")).isEqualTo("dontexpand\\nnewlines");
    assertThat(v.get("DONT_EXPAND_SQUOTED")).isEqualTo("dontexpand\\nnewlines");
    assertThat(v.get("DONT_EXPAND_BACKTICKS")).isEqualTo("dontexpand\\nnewlines");
  }

  @Test
  void carriageReturnAndTabEscapesInDoubleQuotes() { // motdotla expands \r; python-dotenv also \t
    assertThat(value("E=\"a\\rb\\tc\"", "E")).isEqualTo("a\rb\tc");
  }

  @Test
  void escapedDoubleQuoteInsideDoubleQuotes() { // python-dotenv README: escaped quotes in double quotes
    assertThat(value("E=\"say \\\"hi\\\"\"", "E")).isEqualTo("say \"hi\"");
  }

  @Test
  void escapedBackslashInDoubleQuotes() { // python-dotenv: \\ is one backslash, so "\\n" stays backslash-n
    assertThat(value("E=\"C:\\\\new\"", "E")).isEqualTo("C:\\new");
  }

  @Test
  void unknownEscapesKeepTheirBackslash() { // motdotla replaces only known escapes
    assertThat(value("E=\"a\\qb\"", "E")).isEqualTo("a\\qb");
  }

  @Test
  void singleQuotedValuesHaveNoEscapes() {
    assertThat(value("E='a\\tb\\\"c'", "E")).isEqualTo("a\\tb\\\"c");
  }

  @Test
  void aBackslashBeforeTheSameQuoteDoesNotCloseSingleQuotes() { // motdotla's '(?:\\'|[^'])*' pattern
    assertThat(value("E='it\\'s'", "E")).isEqualTo("it\\'s");
  }

  // ---------------------------------------------------------------- multiline

  @Test
  void doubleQuotedValueSpansLines() { // motdotla tests/.env-multiline: MULTI_DOUBLE_QUOTED
    assertThat(parse("MULTI_DOUBLE_QUOTED=\"THIS\nIS\nA\nMULTILINE\nSTRING\"\nAFTER=after"))
        .containsExactly(entry("MULTI_DOUBLE_QUOTED", "THIS\nIS\nA\nMULTILINE\nSTRING"), entry("AFTER", "after"));
  }

  @Test
  void singleQuotedValueSpansLines() { // motdotla: MULTI_SINGLE_QUOTED
    assertThat(value("M='THIS\nIS\nA\nMULTILINE\nSTRING'", "M")).isEqualTo("THIS\nIS\nA\nMULTILINE\nSTRING");
  }

  @Test
  void backtickValueSpansLines() { // motdotla: MULTI_BACKTICKED, with both quote kinds inside
    assertThat(value("M=`THIS\nIS\nA\n\"MULTILINE'S\"\nSTRING`", "M")).isEqualTo("THIS\nIS\nA\n\"MULTILINE'S\"\nSTRING");
  }

  @Test
  void pemKeyInDoubleQuotes() { // motdotla: MULTI_PEM_DOUBLE_QUOTED
    String pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnNl1tL3QjKp3DZWM0T3u\n"
        + "-----END PUBLIC KEY-----";
    assertThat(parse("PEM=\"" + pem + "\"\nNEXT=n")).containsExactly(entry("PEM", pem), entry("NEXT", "n"));
  }

  @Test
  void lineNumbersCountTheLinesOfAMultiLineValue() {
    InvalidSecretSourceException e = error("M=\"a\nb\nc\"\nBAD LINE " + CANARY);
    assertThat(e.line()).isEqualTo(4);
  }

  // ---------------------------------------------------------------- comments

  @Test
  void fullLineCommentsAreIgnored() { // motdotla: "ignores commented lines"
    assertThat(parse("# COMMENTS=work\n   # indented=comment\nA=a")).containsExactly(entry("A", "a"));
  }

  @Test
  void inlineCommentAfterWhitespace() { // motdotla tests/.env: INLINE_COMMENTS
    assertThat(value("INLINE_COMMENTS=inline comments # work #very #well", "INLINE_COMMENTS"))
        .isEqualTo("inline comments");
    assertThat(value("TAB=value\t# tab before the hash", "TAB")).isEqualTo("value");
  }

  @Test
  void inlineCommentsAfterQuotedValues() { // motdotla: INLINE_COMMENTS_SINGLE_QUOTES, _DOUBLE_QUOTES, _BACKTICKS
    Map<String, String> v = parse("""
        S='inline comments outside of #singlequotes' # work
        D="inline comments outside of #doublequotes" # work
        B=`inline comments outside of #backticks` # work
        TIGHT="no space before the comment"# work
        """);
    assertThat(v).containsExactly(
        entry("S", "inline comments outside of #singlequotes"),
        entry("D", "inline comments outside of #doublequotes"),
        entry("B", "inline comments outside of #backticks"),
        entry("TIGHT", "no space before the comment"));
  }

  @Test
  void hashWithoutWhitespaceBeforeItIsPartOfTheValue() {
    // deliberate difference: motdotla cuts INLINE_COMMENTS_SPACE at "a"; shells, python-dotenv and Ruby dotenv
    // keep "a#space", and a password such as S3cr3t#rD must not lose its tail
    assertThat(value("PASSWORD=S3cr3t#rD", "PASSWORD")).isEqualTo("S3cr3t#rD");
    assertThat(value("INLINE_COMMENTS_SPACE=inline comments start with a#space", "INLINE_COMMENTS_SPACE"))
        .isEqualTo("inline comments start with a#space");
  }

  @Test
  void hashRightAfterTheEqualsSignIsPartOfTheValue() { // as in a shell: COLOR=#fff
    assertThat(value("COLOR=#ffffff", "COLOR")).isEqualTo("#ffffff");
  }

  @Test
  void aCommentInPlaceOfTheValueLeavesItEmpty() {
    assertThat(value("EMPTY= # nothing here", "EMPTY")).isEmpty();
  }

  // ---------------------------------------------------------------- encoding

  @Test
  void crlfLineEndings() { // motdotla test-parse.js: "can parse (\r\n) line endings"
    assertThat(parse("SERVER=localhost\r\nPASSWORD=password\r\nDB=tests\r\n"))
        .containsExactly(entry("SERVER", "localhost"), entry("PASSWORD", "password"), entry("DB", "tests"));
  }

  @Test
  void crLineEndings() { // motdotla test-parse.js: "can parse (\r) line endings"
    assertThat(parse("SERVER=localhost\rPASSWORD=password\rDB=tests\r"))
        .containsExactly(entry("SERVER", "localhost"), entry("PASSWORD", "password"), entry("DB", "tests"));
  }

  @Test
  void crlfInsideAMultiLineValueBecomesLf() { // motdotla normalises line endings before parsing
    assertThat(value("M=\"a\r\nb\"\r\n", "M")).isEqualTo("a\nb");
  }

  @Test
  void utf8ByteOrderMarkIsIgnored() { // motdotla tests/.env.bom
    assertThat(parse("\uFEFFBOM=yes\nNEXT=n")).containsExactly(entry("BOM", "yes"), entry("NEXT", "n"));
  }

  @Test
  void noTrailingNewlineIsFine() {
    assertThat(parse("A=a\nB=b")).containsExactly(entry("A", "a"), entry("B", "b"));
  }

  @Test
  void emptyFileHasNoKeys() {
    assertThat(parse("")).isEmpty();
    assertThat(parse("\n\n  \n# only comments\n")).isEmpty();
  }

  // Expansion cases from motdotla/dotenv-expand tests/.env.test, with MACHINE=machine_env in the environment.
  // ---------------------------------------------------------------- expansion

  @Test
  void plainReference() { // dotenv-expand: BASIC_EXPAND=$BASIC
    assertThat(value("BASIC=basic\nBASIC_EXPAND=$BASIC", "BASIC_EXPAND")).isEqualTo("basic");
  }

  @Test
  void bracedReference() { // dotenv-expand: ONETWO=${ONE}${TWO}, ONETWO_SIMPLE, ONETWO_SUPER_SIMPLE
    Map<String, String> v = parse("ONE=one\nTWO=two\nA=${ONE}${TWO}\nB=${ONE}$TWO\nC=$ONE$TWO\n");
    assertThat(v.get("A")).isEqualTo("onetwo");
    assertThat(v.get("B")).isEqualTo("onetwo");
    assertThat(v.get("C")).isEqualTo("onetwo");
  }

  @Test
  void referenceToTheEnvironment() { // dotenv-expand: MACHINE_EXPAND=$MACHINE
    assertThat(value("MACHINE_EXPAND=$MACHINE", "MACHINE_EXPAND")).isEqualTo("machine_env");
  }

  @Test
  void theEnvironmentWinsOverAFileValue() { // dotenv-expand: a variable already in process.env wins
    assertThat(value("MACHINE=from_file\nX=${MACHINE}", "X")).isEqualTo("machine_env");
  }

  @Test
  void undefinedReferenceIsEmpty() { // dotenv-expand: UNDEFINED_EXPAND=$UNDEFINED_ENV_KEY
    assertThat(value("UNDEFINED_EXPAND=$UNDEFINED_ENV_KEY", "UNDEFINED_EXPAND")).isEmpty();
  }

  @Test
  void escapedDollarIsLiteral() { // dotenv-expand: ESCAPED_EXPAND=\$ESCAPED
    assertThat(value("ESCAPED_EXPAND=\\$ESCAPED", "ESCAPED_EXPAND")).isEqualTo("$ESCAPED");
    assertThat(value("Q=\"\\$ESCAPED\"", "Q")).isEqualTo("$ESCAPED");
  }

  @Test
  void loneDollarIsLiteral() { // dotenv-expand: DOLLAR=$
    assertThat(value("DOLLAR=$", "DOLLAR")).isEqualTo("$");
    assertThat(value("PRICE=5$ or $5", "PRICE")).isEqualTo("5$ or $5");
  }

  @Test
  void colonDashDefaultWhenUnsetOrEmpty() { // dotenv-expand: DEFINED/UNDEFINED_EXPAND_WITH_DEFAULT
    assertThat(value("A=${MACHINE:-default}", "A")).isEqualTo("machine_env");
    assertThat(value("A=${UNDEFINED_ENV_KEY:-default}", "A")).isEqualTo("default");
    assertThat(value("A=${EMPTY_ENV:-default}", "A")).isEqualTo("default");
  }

  @Test
  void dashDefaultOnlyWhenUnset() { // POSIX ${VAR-default}, which dotenv-expand also accepts
    assertThat(value("A=${UNDEFINED_ENV_KEY-default}", "A")).isEqualTo("default");
    assertThat(value("A=${EMPTY_ENV-default}", "A")).isEmpty();
    assertThat(value("A=${MACHINE-default}", "A")).isEqualTo("machine_env");
  }

  @Test
  void nestedDefaults() { // dotenv-expand: ..._WITH_DEFAULT_NESTED, _NESTED_TWICE
    Map<String, String> v = parse("""
        A=${MACHINE:-${UNDEFINED_ENV_KEY:-default}}
        B=${UNDEFINED_ENV_KEY:-${MACHINE:-default}}
        C=${UNDEFINED_ENV_KEY:-${UNDEFINED_ENV_KEY_2:-default}}
        D=${UNDEFINED_ENV_KEY:-${MACHINE}${UNDEFINED_ENV_KEY_3:-default}}
        E=${UNDEFINED_ENV_KEY:-${UNDEFINED_ENV_KEY_2:-${UNDEFINED_ENV_KEY_3:-default}}}
        """);
    assertThat(v).containsExactly(entry("A", "machine_env"), entry("B", "machine_env"), entry("C", "default"),
        entry("D", "machine_envdefault"), entry("E", "default"));
  }

  @Test
  void defaultsWithSpecialCharacters() { // dotenv-expand: ..._WITH_DEFAULT_WITH_SPECIAL_CHARACTERS
    assertThat(value("A=${UNDEFINED_ENV_KEY:-/default/path:with/colon}", "A")).isEqualTo("/default/path:with/colon");
    assertThat(value("A=${MACHINE:-/default/path:with/colon}", "A")).isEqualTo("machine_env");
  }

  @Test
  void referencesCompose() { // dotenv-expand: MONGOLAB_URI and MONGOLAB_URI_RECURSIVELY
    Map<String, String> v = parse("""
        MONGOLAB_DATABASE=heroku_db
        MONGOLAB_USER=username
        MONGOLAB_PASSWORD=password
        MONGOLAB_DOMAIN=abcd1234.mongolab.com
        MONGOLAB_PORT=12345
        MONGOLAB_URI=mongodb://${MONGOLAB_USER}:${MONGOLAB_PASSWORD}@${MONGOLAB_DOMAIN}:${MONGOLAB_PORT}/${MONGOLAB_DATABASE}
        MONGOLAB_USER_RECURSIVELY=${MONGOLAB_USER}:${MONGOLAB_PASSWORD}
        MONGOLAB_URI_RECURSIVELY=mongodb://${MONGOLAB_USER_RECURSIVELY}@${MONGOLAB_DOMAIN}:${MONGOLAB_PORT}/${MONGOLAB_DATABASE}
        WITHOUT_CURLY_BRACES_URI=mongodb://$MONGOLAB_USER:$MONGOLAB_PASSWORD@$MONGOLAB_DOMAIN:$MONGOLAB_PORT/$MONGOLAB_DATABASE
        """);
    String uri = "mongodb://username:password@abcd1234.mongolab.com:12345/heroku_db";
    assertThat(v.get("MONGOLAB_URI")).isEqualTo(uri);
    assertThat(v.get("MONGOLAB_URI_RECURSIVELY")).isEqualTo(uri);
    assertThat(v.get("WITHOUT_CURLY_BRACES_URI")).isEqualTo(uri);
  }

  @Test
  void operatorsNeedBraces() {
    // deliberate difference: dotenv-expand's WITHOUT_CURLY_BRACES_UNDEFINED_EXPAND_WITH_DEFAULT_... applies the
    // default without braces; POSIX shells do not, and neither do we
    assertThat(value("A=$UNDEFINED_ENV_KEY:-/default/path", "A")).isEqualTo(":-/default/path");
  }

  @Test
  void bracedReferenceToADottedKey() { // dotenv-expand: POSTGRESQL.MAIN.USER=${POSTGRESQL.BASE.USER}
    assertThat(value("POSTGRESQL.BASE.USER=postgres\nPOSTGRESQL.MAIN.USER=${POSTGRESQL.BASE.USER}",
        "POSTGRESQL.MAIN.USER")).isEqualTo("postgres");
  }

  @Test
  void doubleQuotedAndBacktickValuesExpand() {
    assertThat(value("U=user\nD=\"hello ${U}\"", "D")).isEqualTo("hello user");
    assertThat(value("U=user\nB=`hello $U`", "B")).isEqualTo("hello user");
  }

  @Test
  void singleQuotedValuesAreLiteral() {
    // deliberate difference: dotenv-expand also expands single-quoted values; we follow shells and python-dotenv
    // so a password such as 'pa$word' survives
    assertThat(value("U=user\nS='hello ${U} $U \\$'", "S")).isEqualTo("hello ${U} $U \\$");
  }

  @Test
  void referencesSeeOnlyEarlierDefinitions() { // as in a shell and python-dotenv
    assertThat(value("A=${B:-unset}\nB=b", "A")).isEqualTo("unset");
  }

  @Test
  void aKeyCanExtendItsEarlierValue() {
    assertThat(value("FLAGS=-a\nFLAGS=\"$FLAGS -b\"", "FLAGS")).isEqualTo("-a -b");
  }

  @Test
  void referencesSpanFilesParsedIntoTheSameMap() {
    DotenvParser parser = DotenvParser.strict(Map.of());
    Map<String, String> values = new LinkedHashMap<>();
    parser.parse(".env", "DB_HOST=localhost\nDB_USER=app", values);
    parser.parse(".env.local", "DATABASE_URL=postgres://${DB_USER}@${DB_HOST}/app", values);
    assertThat(values.get("DATABASE_URL")).isEqualTo("postgres://app@localhost/app");
  }

  @Test
  void expandedValuesAreNotExpandedAgain() {
    assertThat(value("A=\\$B\nB=x\nC=$A", "C")).isEqualTo("$B");
  }

  // ---------------------------------------------------------------- errors

  @Test
  void unterminatedDoubleQuoteNamesFileLineAndProblem() {
    InvalidSecretSourceException e = error("OK=1\nPASSWORD=\"" + CANARY + "\nNEXT=2\n");
    assertThat(e.getMessage()).isEqualTo(".env:2: unterminated double quote (opened on this line, never closed)");
    assertThat(e.source()).isEqualTo(".env");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.backendId()).isEqualTo("dotenv");
  }

  @Test
  void unterminatedSingleQuoteAndBacktick() {
    assertThat(error("A='" + CANARY).getMessage()).isEqualTo(".env:1: unterminated single quote "
        + "(opened on this line, never closed)");
    assertThat(error("\n\nA=`" + CANARY).getMessage()).startsWith(".env:3: unterminated backtick");
  }

  @Test
  void aLeadingQuoteThatNeverClosesIsAnError() {
    // deliberate difference: motdotla keeps RETAIN_LEADING_DQUOTE="retained as a literal, but only while no
    // other quote follows anywhere in the file; an error is the predictable answer
    assertThat(error("RETAIN_LEADING_DQUOTE=\"" + CANARY).line()).isEqualTo(1);
  }

  @Test
  void anUnterminatedQuoteThatSwallowsLaterLinesIsReportedWhereItOpened() {
    InvalidSecretSourceException e = error("A=\"" + CANARY + "\nB=\"second\"\n");
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.getMessage()).contains("closes on line 2").contains("is a closing double quote missing?");
  }

  @Test
  void textAfterTheClosingQuote() {
    assertThat(error("A=\"quoted\"" + CANARY).getMessage())
        .isEqualTo(".env:1: unexpected text after the closing double quote (only a # comment may follow)");
  }

  @Test
  void aLineWithoutAnEqualsSign() {
    assertThat(error("A=1\n" + CANARY + "\n").getMessage())
        .isEqualTo(".env:2: not a KEY=value line (expected '=' after the key)");
  }

  @Test
  void aKeyWithSpacesIsNotAKeyValueLine() {
    assertThat(error("MY KEY=" + CANARY).line()).isEqualTo(1);
  }

  @Test
  void colonSeparatorIsNotSupported() { // motdotla also accepts YAML-like KEY: value; we do not
    assertThat(error("KEY: " + CANARY).getMessage()).contains("not a KEY=value line");
  }

  @Test
  void invalidKeyIsNotPrinted() { // motdotla allows keys starting with a digit; our keys cannot
    InvalidSecretSourceException e = error("1" + CANARY.replace('-', '_') + "=value");
    assertThat(e.getMessage()).isEqualTo(".env:1: invalid key: keys match [A-Za-z_][A-Za-z0-9_.-]* "
        + "(at most 256 characters)");
    assertThat(e.getMessage()).doesNotContain(CANARY.replace('-', '_'));
  }

  @Test
  void missingKey() {
    assertThat(error("=" + CANARY).getMessage()).isEqualTo(".env:1: missing key before '='");
  }

  @Test
  void badReferences() {
    assertThat(error("A=${" + CANARY).getMessage()).isEqualTo(".env:1: unterminated ${ reference (missing })");
    assertThat(error("A=${}" + CANARY).getMessage()).contains("expected a variable name after ${");
    assertThat(error("A=${B:=" + CANARY + "}").getMessage()).contains("use ${VAR}, ${VAR:-default} or ${VAR-default}");
  }

  @Test
  void exportWithoutAssignmentIsNotAKeyValueLine() {
    assertThat(error("export " + CANARY.replace('-', '_')).getMessage()).contains("not a KEY=value line");
  }

  // ---------------------------------------------------------------- lenient

  @Test
  void lenientModeSkipsBadLinesAndKeepsTheRest() {
    Map<String, String> v = lenient.parse(".env", "A=1\nnot a line " + CANARY + "\nB=2\n1BAD=x\nC=3");
    assertThat(v).containsExactly(entry("A", "1"), entry("B", "2"), entry("C", "3"));
    assertThat(skipped).extracting(InvalidSecretSourceException::line).containsExactly(2, 4);
    assertThat(skipped).allSatisfy(e -> assertThat(e.getMessage()).startsWith(".env:").doesNotContain(CANARY));
  }

  @Test
  void lenientModeDropsOnlyTheLineOfAnUnterminatedQuote() {
    // dotenv-java drops every key after an unterminated quote; here only the opening line is lost
    Map<String, String> v = lenient.parse(".env", "A=\"" + CANARY + "\nB=2\nC='three'\n");
    assertThat(v).containsExactly(entry("B", "2"), entry("C", "three"));
    assertThat(skipped).extracting(InvalidSecretSourceException::line).containsExactly(1);
  }

  @Test
  void lenientModeSkipsAWholeMultiLineValueWithABadReference() {
    Map<String, String> v = lenient.parse(".env", "M=\"${\nX=inside\"\nB=2\n");
    assertThat(v).containsExactly(entry("B", "2"));
    assertThat(skipped).extracting(InvalidSecretSourceException::line).containsExactly(1);
  }
}
