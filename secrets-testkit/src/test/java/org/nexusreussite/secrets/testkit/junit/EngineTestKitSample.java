package org.nexusreussite.secrets.testkit.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a sample class that only runs when {@link SecretsExtensionTest} launches it through the
 * EngineTestKit (which sets {@link #PARAMETER}); a plain surefire run, even one selecting it with
 * {@code -Dtest=...}, reports it disabled instead of running its deliberately failing tests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EngineTestKitSample.Condition.class)
@interface EngineTestKitSample {
  String PARAMETER = "secrets.testkit.samples";

  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(PARAMETER).isPresent()
          ? ConditionEvaluationResult.enabled("launched by SecretsExtensionTest")
          : ConditionEvaluationResult.disabled("sample for SecretsExtensionTest's EngineTestKit runs only");
    }
  }
}
