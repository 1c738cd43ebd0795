package org.nexusreussite.secrets.cli;

import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/** The {@code --help} texts. */
final class Help {
  private Help() {}

  static void print(PrintStream out, @Nullable Command topic) {
    if (topic == null) {
      general(out);
    } else {
      command(out, topic);
    }
  }

  private static void general(PrintStream out) {
    out.println("secrets: resolve, list and check secrets from env, .env files, Vault, AWS Secrets Manager,");
    out.println("Azure Key Vault and Kubernetes, the way the Nexus Secrets SDK does in your application.");
    out.println();
    out.println("Usage: secrets [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]");
    out.println();
    out.println("Commands:");
    Table commands = Table.ofColumns(2);
    for (Command c : Command.values()) {
      commands.row(c.label() + (c.synopsis.isEmpty() ? "" : " " + c.synopsis), c.summary);
    }
    commands.print(out, "  ");
    out.println();
    globalOptions(out);
    out.println();
    exitCodes(out);
    out.println();
    out.println("Backends are chosen by the environment (VAULT_ADDR, AWS_REGION with SECRETS_AWS_*, AZURE_KEYVAULT_URL,");
    out.println("a Kubernetes pod, .env files in SECRETS_DOTENV_DIR or the working directory); run 'secrets doctor'.");
    out.println("'secrets COMMAND --help' shows the details of a command.");
  }

  private static void command(PrintStream out, Command c) {
    out.println("Usage: secrets " + c.label() + (c.synopsis.isEmpty() ? "" : " " + c.synopsis));
    out.println();
    out.println(c.summary.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + c.summary.substring(1) + ".");
    out.println();
    for (String line : c.details.split("\n")) {
      out.println(line.isBlank() ? "" : "  " + line);
    }
    if (!c.options.isEmpty()) {
      out.println();
      out.println("Options:");
      Table t = Table.ofColumns(2);
      c.options.values().forEach(o -> t.row(o.synopsis(), o.help()));
      t.print(out, "  ");
    }
    out.println();
    globalOptions(out);
    out.println();
    exitCodes(out);
  }

  private static void globalOptions(PrintStream out) {
    out.println("Global options (before or after the command):");
    Table t = Table.ofColumns(2);
    Command.GLOBAL.forEach(o -> t.row(o.synopsis(), o.help()));
    t.print(out, "  ");
  }

  private static void exitCodes(PrintStream out) {
    out.println("Exit codes:");
    out.println("  0 ok; 1 required secrets missing; 2 not found; 3 not supported by the backend; 4 write conflict;");
    out.println("  5 verification failed; 6 nothing due (rotate --due); 64 usage;");
    out.println("  69 backend unavailable; 70 internal error; 77 access denied; 78 configuration error.");
    out.println("  exec returns CMD's code: 128+N when CMD dies of signal N, 126/127 when it cannot start.");
  }
}
