package org.nexusreussite.secrets.buildsupport.fault;

import java.util.List;

/**
 * The faults of the fault matrix, as Toxiproxy toxics on the path from the store to the client (downstream).
 * Each is what an unlucky network does to a secrets store's answer; {@link #failsTheCall()} says whether a call
 * with a 1 s deadline must fail under it.
 */
public enum Fault {
  /** 300 ms more on every answer: slow but within the deadline, so the call succeeds. */
  LATENCY(false, "{\"type\":\"latency\",\"stream\":\"downstream\",\"attributes\":{\"latency\":300,\"jitter\":0}}"),
  /** The answer drips: one byte every 200 ms, so a few hundred bytes take a minute. */
  DRIP(true, "{\"type\":\"slicer\",\"stream\":\"downstream\",\"attributes\":{\"average_size\":1,"
      + "\"size_variation\":0,\"delay\":200000}}"),
  /**
   * The first bytes (the status line and most headers) arrive, then nothing for a minute: a stuck proxy or a
   * half-open connection after the headers.
   */
  STALL_AFTER_HEADERS(true, "{\"type\":\"slicer\",\"stream\":\"downstream\",\"attributes\":{\"average_size\":"
      + "120,\"size_variation\":0,\"delay\":60000000}}"),
  /** The connection is reset (TCP RST) as soon as data would flow. */
  RESET_PEER(true, "{\"type\":\"reset_peer\",\"stream\":\"downstream\",\"attributes\":{\"timeout\":0}}"),
  /** Nothing comes back and the connection stays open: a black hole. */
  BLACKHOLE(true, "{\"type\":\"timeout\",\"stream\":\"downstream\",\"attributes\":{\"timeout\":0}}");

  private final boolean failsTheCall;
  private final List<String> toxics;

  Fault(boolean failsTheCall, String... toxics) {
    this.failsTheCall = failsTheCall;
    this.toxics = List.of(toxics);
  }

  /** Whether a call with a 1 s deadline fails under this fault (else it succeeds, just slower). */
  public boolean failsTheCall() {
    return failsTheCall;
  }

  /** The toxics, as JSON bodies for Toxiproxy's {@code POST /proxies/{name}/toxics} (without a name). */
  public List<String> toxics() {
    return toxics;
  }
}
