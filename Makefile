# Every target finds a JDK >= 21 by itself (JAVA_HOME if it qualifies, else the newest one in the
# system JVM folder) and says so in one line when there is none.
SHELL := /bin/bash
JDK := $(shell .ci/find-jdk.sh 2>/dev/null)
JDK_HOME := $(word 1,$(JDK))
JDK_MAJOR := $(word 2,$(JDK))
# No colour bytes in the output: batch mode and style.color turn off Maven's colours, and
# jansi.noreset stops Maven 3.8's console library from writing ESC[0m resets around every run.
MVN := JAVA_HOME=$(JDK_HOME) mvn -B --no-transfer-progress -Dstyle.color=never
export MAVEN_OPTS += -Djansi.noreset=true
# Maven's own Guava warns about sun.misc.Unsafe on JDK 24+: silence that noise, nothing else.
ifneq ($(JDK_MAJOR),)
  ifeq ($(shell [ $(JDK_MAJOR) -ge 24 ] && echo yes),yes)
    export MAVEN_OPTS += --sun-misc-unsafe-memory-access=allow
  endif
endif
JAR := target/llm-api-router.jar
JAVA := $(JDK_HOME)/bin/java

.PHONY: install uninstall build test demo coverage fmt fmt-check lint clean jdk sdk-check bench bench-streams image microbench

jdk:
	@.ci/find-jdk.sh >/dev/null || exit 1
	@command -v mvn >/dev/null || { echo "error: Maven (mvn) not found: install it, e.g. 'apt-get install maven'" >&2; exit 1; }

## build: the self-contained runnable jar at target/llm-api-router.jar
build: jdk
	$(MVN) -q package -DskipTests
	@ls -l $(JAR)

## test: the whole test suite
test: jdk
	$(MVN) test

# Ctrl-C ends the demo: Java runs its shutdown hooks and exits 130, which is not an error here.
## demo: build, then start a router in front of two mock providers (no keys needed; PORT=8011 for another port)
demo: build
	$(JAVA) -jar $(JAR) demo $(if $(PORT),--port $(PORT)) || [ $$? -eq 130 ]

## sdk-check: the official OpenAI and Anthropic Node SDKs (chat, Responses API, embeddings, completions, count_tokens), the Vercel AI SDK, LangChain JS and coding agents (Claude Code, Qwen Code, pi, opencode, Codex CLI) through the router to a fake upstream (Node >= 20)
sdk-check: build
	bash .ci/sdk-check/run.sh

## bench: throughput, latency, fallback, streaming and memory vs the mock and a JDK pass-through (needs wrk)
bench: build
	JAVA=$(JAVA) bash bench/bench.sh

## bench-streams: thousands of concurrent open streams through the router; RSS while they are open
bench-streams: build
	JAVA=$(JAVA) bash bench/streams.sh $(STREAMS)

## image: jlink runtime image at target/image (launcher target/image/bin/llm-api-router, CDS, AOT cache on JDK 25+)
image: build
	@rm -rf target/image-modules
	$(MVN) -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/image-modules
	bash src/main/image/build-image.sh $(JDK_HOME)

# The command users type: the runtime image under PREFIX/lib/llm-api-router, the launcher as
# PREFIX/bin/llm-api-router.
PREFIX ?= $(HOME)/.local

## install: make image, then install it as the command $(PREFIX)/bin/llm-api-router (PREFIX=... for another place)
install: image
	bash src/main/image/install.sh install "$(PREFIX)"

## uninstall: remove exactly what make install wrote under PREFIX
uninstall:
	bash src/main/image/install.sh uninstall "$(PREFIX)"

## microbench: ns/op of the hot-path pieces (routing fields, header policy, SSE framing)
microbench: jdk
	$(MVN) -q test-compile
	$(MVN) -q dependency:build-classpath -Dmdep.outputFile=target/microbench.classpath
	$(JAVA) -cp target/test-classes:target/classes:$$(cat target/microbench.classpath) dev.llmrouter.bench.HotPathBench $(CASE)

## coverage: the test suite with a JaCoCo report under target/site/jacoco
coverage: jdk
	$(MVN) jacoco:prepare-agent test jacoco:report
	@awk -F, 'NR>1 {m+=$$8; c+=$$9} END {printf "line coverage: %.1f%% (%d of %d lines)\n", 100*c/(m+c), c, m+c}' target/site/jacoco/jacoco.csv

## fmt: format every Java file (google-java-format via Spotless)
fmt: jdk
	$(MVN) -q spotless:apply

fmt-check: jdk
	$(MVN) -q spotless:check

## lint: compile with -Xlint:all -Werror plus Error Prone; zero findings
lint: jdk
	$(MVN) -q -Plint clean test-compile

clean:
	rm -rf target
