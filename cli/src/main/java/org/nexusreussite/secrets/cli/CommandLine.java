package org.nexusreussite.secrets.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;

/**
 * A parsed command line: {@code secrets [global options] COMMAND [options] [args] [-- CMD ARGS...]}.
 * Options may come before or after the command, as {@code --name value} or {@code --name=value}.
 *
 * <p>Messages about a bad command line never quote an argument that could be a value: an unknown
 * option is named without what follows its {@code =}, and an unknown command only when it looks like
 * a word.
 */
final class CommandLine {
  private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,30}");

  final Command command;
  final boolean help;
  final @Nullable Command helpTopic;
  private final Map<String, String> values;
  private final Set<String> flags;
  final List<String> args;
  final @Nullable List<String> execCommand;

  private CommandLine(Command command, boolean help, @Nullable Command helpTopic, Map<String, String> values,
      Set<String> flags, List<String> args, @Nullable List<String> execCommand) {
    this.command = command;
    this.help = help;
    this.helpTopic = helpTopic;
    this.values = values;
    this.flags = flags;
    this.args = List.copyOf(args);
    this.execCommand = execCommand == null ? null : List.copyOf(execCommand);
  }

  /** The value of an option, if given. */
  Optional<String> value(String option) {
    return Optional.ofNullable(values.get(option));
  }

  /** Whether a flag was given. */
  boolean flag(String option) {
    return flags.contains(option);
  }

  Format format() {
    return value("--format").map(Format::parse).orElse(Format.TEXT);
  }

  boolean debug() {
    return flag("--debug");
  }

  /** The keys of a comma-separated option, each validated. */
  List<String> keys(String option) {
    List<String> keys = new ArrayList<>();
    for (String part : value(option).orElse("").split(",")) {
      if (!part.isBlank()) {
        keys.add(Keys.requireValid(part.strip()));
      }
    }
    return keys;
  }

  /** The first positional argument, validated as a key. */
  String key() {
    return Keys.requireValid(args.get(0));
  }

  /**
   * Parses {@code argv}.
   *
   * @throws UsageException when it is wrong, unless help was asked for
   */
  static CommandLine parse(String[] argv) {
    if (helpRequested(argv)) {
      return new CommandLine(Command.HELP, true, topicOf(argv), Map.of(), Set.of(), List.of(), null);
    }
    Command command = null;
    Map<String, String> values = new HashMap<>();
    Set<String> flags = new HashSet<>();
    List<String> args = new ArrayList<>();
    List<String> exec = null;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--")) {
        if (command != Command.EXEC) {
          throw new UsageException("'--' is only used by exec: secrets exec -- CMD ARGS...");
        }
        exec = new ArrayList<>(List.of(argv).subList(i + 1, argv.length));
        break;
      }
      if (a.startsWith("-") && a.length() > 1) {
        int eq = a.startsWith("--") ? a.indexOf('=') : -1;
        String name = eq < 0 ? a : a.substring(0, eq);
        Command.Option option = findOption(command, name);
        if (option.takesValue()) {
          String value;
          if (eq >= 0) {
            value = a.substring(eq + 1);
          } else if (i + 1 < argv.length) {
            value = argv[++i];
          } else {
            throw new UsageException("option " + name + " needs a value: " + option.synopsis());
          }
          if (values.put(name, value) != null) {
            throw new UsageException("option " + name + " is given twice");
          }
        } else {
          if (eq >= 0) {
            throw new UsageException("option " + name + " takes no value");
          }
          flags.add(name);
        }
        continue;
      }
      if (command == null) {
        command = Command.named(a).orElseThrow(() -> new UsageException("unknown command "
            + (WORD.matcher(a).matches() ? "'" + a + "'" : "(" + a.length() + " characters)")
            + "; commands: get, list, check, doctor, exec, versions, rollback, set, rotate, explain (see secrets --help)"));
      } else {
        args.add(a);
      }
    }
    if (command == null) {
      throw new UsageException("no command given; run secrets --help");
    }
    CommandLine cl = new CommandLine(command, false, null, values, flags, args, exec);
    cl.validate();
    return cl;
  }

  private void validate() {
    if (args.size() < command.minArgs || args.size() > command.maxArgs) {
      if (command == Command.EXEC) {
        throw new UsageException("put the command after --: secrets exec [--only K1,K2] -- CMD ARGS...");
      }
      String expected = command.maxArgs == 0 ? "takes no arguments" : "takes one KEY";
      throw new UsageException(command.label() + " " + expected + ": secrets " + command.label() + " "
          + command.synopsis);
    }
    Format format = format();
    if (format == Format.ENV && command != Command.GET) {
      throw new UsageException("--format env applies to get only; other commands never print values");
    }
    if (command == Command.EXEC) {
      if (format != Format.TEXT) {
        throw new UsageException("--format does not apply to exec");
      }
      if (execCommand == null || execCommand.isEmpty()) {
        throw new UsageException("exec needs a command after --: secrets exec [--only K1,K2] -- CMD ARGS...");
      }
    }
    if (command == Command.GET && values.containsKey("--version") && values.containsKey("--stage")) {
      throw new UsageException("give --version or --stage, not both");
    }
  }

  private static Command.Option findOption(@Nullable Command command, String name) {
    Optional<Command.Option> global = Command.global(name);
    if (global.isPresent()) {
      return global.get();
    }
    Command.Option option = command == null ? null : command.options.get(name);
    if (option == null) {
      throw unknownOption(name, command);
    }
    return option;
  }

  private static UsageException unknownOption(String name, @Nullable Command command) {
    String where = command == null ? "" : " for " + command.label();
    String shown = WORD.matcher(name.replaceFirst("^--?", "")).matches() ? name : "(" + name.length() + " characters)";
    return new UsageException("unknown option " + shown + where + " (see secrets "
        + (command == null ? "" : command.label() + " ") + "--help)");
  }

  private static boolean helpRequested(String[] argv) {
    for (String a : argv) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return argv.length > 0 && argv[0].equals("help");
  }

  /**
   * The command the help is about: the first command named before {@code --} other than "help"; "help"
   * itself for {@code secrets help --help}; null (the general help) otherwise.
   */
  private static @Nullable Command topicOf(String[] argv) {
    boolean helpCommand = false;
    boolean helpOption = false;
    for (String a : argv) {
      if (a.equals("--")) {
        break;
      }
      helpOption |= a.equals("--help") || a.equals("-h");
      Optional<Command> c = Command.named(a);
      if (c.isPresent() && c.get() != Command.HELP) {
        return c.get();
      }
      helpCommand |= c.isPresent();
    }
    return helpCommand && helpOption ? Command.HELP : null;
  }
}
