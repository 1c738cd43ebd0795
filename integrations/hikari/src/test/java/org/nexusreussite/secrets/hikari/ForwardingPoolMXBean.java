package org.nexusreussite.secrets.hikari;

import com.zaxxer.hikari.HikariPoolMXBean;

/** Delegates every call to the real pool; tests override one method to record the order of calls. */
class ForwardingPoolMXBean implements HikariPoolMXBean {
  private final HikariPoolMXBean delegate;

  ForwardingPoolMXBean(HikariPoolMXBean delegate) {
    this.delegate = delegate;
  }

  @Override
  public int getIdleConnections() {
    return delegate.getIdleConnections();
  }

  @Override
  public int getActiveConnections() {
    return delegate.getActiveConnections();
  }

  @Override
  public int getTotalConnections() {
    return delegate.getTotalConnections();
  }

  @Override
  public int getThreadsAwaitingConnection() {
    return delegate.getThreadsAwaitingConnection();
  }

  @Override
  public void softEvictConnections() {
    delegate.softEvictConnections();
  }

  @Override
  public void suspendPool() {
    delegate.suspendPool();
  }

  @Override
  public void resumePool() {
    delegate.resumePool();
  }
}
