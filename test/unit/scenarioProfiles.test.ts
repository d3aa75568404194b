import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sequenceDiagram } from '../../src/core/diagram/sequenceDiagram';
import { stepExplainer } from '../../src/core/explain/stepExplanation';
import type { Connection } from '../../src/core/tcp/connection';
import { analyzeScenario } from '../../src/core/scenario/analyzeScenario';
import { parseScenario } from '../../src/core/scenario/parse';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/core/scenario/profiles';

const stepsOf = (c: Connection) => {
  const explain = stepExplainer(c);
  return c.segments.map((_, i) => explain(i).text);
};

const CLOSE = 'endpoint client\nendpoint server\nserver listen\nclient connect\nclient close\nserver close\nwait 300s\n';

/** When each endpoint entered TIME_WAIT and left it, from the simulator's own truth. */
function timeWaitLength(text: string, name: string, options = {}): number | undefined {
  const truth = analyzeScenario(text, options).simulation!.truth.get(name)!;
  const at = truth.findIndex((e) => e.state === 'TIME_WAIT');
  return at < 0 || !truth[at + 1] ? undefined : truth[at + 1]!.time - truth[at]!.time;
}

describe('simulator profiles', () => {
  it('every profile names a source for each figure it gives, and says which it leaves to the RFC', () => {
    for (const name of PROFILE_NAMES) {
      const profile = PROFILES[name];
      for (const key of ['timeWait', 'initialRto', 'maxRto', 'synRetries', 'synLinearRetries', 'synAckRetries', 'dataRetries', 'invalidAckInterval'] as const) {
        const figure = profile[key];
        assert.ok(Number.isFinite(figure.value) && figure.source.length > 10, `${name}.${key}`);
        if (name !== 'rfc' && profile.unsourced.includes(key)) assert.equal(figure, PROFILES.rfc[key], `${name}.${key} is the RFC's`);
      }
      // The optional figures, played (minRto, delayedAck, optionBytes …) or only stated: each one given has its source.
      const optional = { minRto: profile.minRto, delayedAck: profile.delayedAck, optionBytes: profile.optionBytes, connectTimeout: profile.connectTimeout, synRetryTime: profile.synRetryTime, ...profile.stated };
      for (const [key, figure] of Object.entries(optional)) {
        if (figure) assert.ok(Number.isFinite(figure.value) && figure.source.length > 10, `${name}.${key}`);
      }
    }
  });

  it('every lesson runs under every profile, to its end, with the same story: the same states on both sides', () => {
    for (const lesson of BUILTIN_SCENARIOS) {
      const states = (profile: ProfileName) => {
        const result = analyzeScenario(lesson.text, { profile });
        assert.deepEqual(result.scenarioErrors, [], `${lesson.name} under ${profile}`);
        assert.equal(result.stopped, undefined, `${lesson.name} under ${profile}`);
        // What each endpoint goes through, in order.
        return [...result.simulation!.truth.values()].map((h) => h.map((e) => e.state).join('→'));
      };
      const rfc = states('rfc');
      for (const profile of PROFILE_NAMES) assert.deepEqual(states(profile), rfc, `${lesson.name} under ${profile}`);
    }
  });

  it('TIME_WAIT lasts each profile\'s own time: RFC 240 s, Linux 60 s, Windows 240 s, macOS 30 s', () => {
    const lengths = PROFILE_NAMES.map((p) => timeWaitLength(`profile ${p}\n${CLOSE}`, 'client'));
    assert.deepEqual(lengths.map((l) => Math.round(l!)), [240, 60, 240, 30]);
    // The run's profile applies where the file says none; the file's wins over the run's.
    assert.equal(Math.round(timeWaitLength(CLOSE, 'client', { profile: 'linux' })!), 60);
    assert.equal(Math.round(timeWaitLength(`profile macos\n${CLOSE}`, 'client', { profile: 'linux' })!), 30);
  });

  it('each endpoint can be another OS: a Linux client and a Windows server', () => {
    const text = 'endpoint client 10.0.0.1:40000 linux\nendpoint server 10.0.0.2:80 windows\nserver listen\nclient connect\nserver close\nclient close\nwait 300s\n';
    assert.deepEqual(parseScenario(text).scenario.endpoints.map((e) => e.profile), ['linux', 'windows']);
    assert.equal(Math.round(timeWaitLength(text, 'server')!), 240, 'the Windows server closed first: its TIME_WAIT');
    const swapped = text.replace('server close\nclient close', 'client close\nserver close');
    assert.equal(Math.round(timeWaitLength(swapped, 'client')!), 60, 'the Linux client closed first: its TIME_WAIT');
  });

  it('macOS gives up a connect 75 s after its first SYN (keepinit), whatever its retries', () => {
    const text = `profile macos\nendpoint a\nendpoint b\nb listen\n${'lose next a SYN\n'.repeat(20)}a connect\nwait 200s\n`;
    const truth = analyzeScenario(text).simulation!.truth.get('a')!;
    assert.deepEqual(truth.map((e) => e.state), ['CLOSED', 'SYN_SENT', 'CLOSED']);
    assert.ok(Math.abs(truth[2]!.time - 75) < 1e-6, `gave up at ${truth[2]!.time} s`);
  });

  it('the diagram says whose TIME_WAIT it is and how long it lasts', () => {
    const { analysis } = analyzeScenario(`profile linux\n${CLOSE}`);
    const text = sequenceDiagram(analysis.connections[0]!, { msl: 120 }).map((p) => p.text).join('\n');
    assert.match(text, /Note left of C: TIME_WAIT \(Linux: 60 s\)/);
    assert.match(text, /Note left of C: CLOSED \(TIME_WAIT over at \+60\.\d+s\)/);
    const rfc = sequenceDiagram(analyzeScenario(CLOSE).analysis.connections[0]!, { msl: 120 }).map((p) => p.text).join('\n');
    assert.match(rfc, /TIME_WAIT \(2×MSL = 240 s#59; Linux: 60 s\)/);
    // Step mode says it too, at the step where the client enters TIME_WAIT.
    const linux = analysis.connections[0]!;
    const explain = stepExplainer(linux);
    const steps = linux.segments.map((_, i) => explain(i).text);
    const at = steps.findIndex((t) => t.includes('→ TIME_WAIT'));
    assert.match(steps[at]!, /As Linux plays it, the client holds TIME_WAIT 60 s \(not the RFC's 2×MSL\)\./);
    assert.ok(!stepsOf(analyzeScenario(CLOSE).analysis.connections[0]!).some((t) => t.includes('holds TIME_WAIT')), 'not under the RFC');
  });

  it('mistakes: an unknown profile, a profile chosen twice, an endpoint word that is neither address nor profile', () => {
    const errors = (text: string) => parseScenario(text).errors.map((e) => e.message);
    assert.deepEqual(errors('profile bsd\nendpoint a\nendpoint b\n'), ['1:9: "bsd" is not a profile (rfc, linux, windows, macos)']);
    assert.deepEqual(errors('profile linux\nprofile rfc\nendpoint a\nendpoint b\n'), ['2:1: the profile is chosen twice']);
    assert.deepEqual(errors('endpoint a 10.0.0.1:1 bsd\nendpoint b\n'), ['1:23: "bsd" is not a profile (rfc, linux, windows, macos)']);
  });
});
