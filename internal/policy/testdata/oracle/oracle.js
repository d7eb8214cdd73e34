// oracle.js runs @cloud-copilot/iam-simulate, an independent implementation of
// AWS IAM policy evaluation, over cases read as JSON lines on stdin and writes
// one JSON line per case to stdout. grantd's differential test
// (internal/policy/differential_test.go) installs the package outside the
// repository and runs this script with the install prefix as its argument:
//
//	node oracle.js <npm prefix>
//
// The package (AGPL-3.0) is only loaded at run time from that prefix; it is
// never vendored, linked or shipped with grantd.
//
// Input line:  {"id", "principal" (ARN, service name or "" for anonymous),
//               "action", "resource", "resourceAccount", "identity": [doc],
//               "boundary": doc|null, "session": doc|null,
//               "resourcePolicy": doc|null, "context": {key: string|[string]}}
// Output line: {"id", "result": "Allowed"|"ImplicitlyDenied"|"ExplicitlyDenied"|"error",
//               "error", "ignored": [keys the package dropped],
//               "session": session-policy result, "resourceDirect": bool}
'use strict'

const path = require('node:path')
const readline = require('node:readline')
const { createRequire } = require('node:module')

const prefix = process.argv[2]
if (!prefix) {
  process.stderr.write('usage: node oracle.js <npm prefix holding @cloud-copilot/iam-simulate>\n')
  process.exit(2)
}
const sim = createRequire(path.join(path.resolve(prefix), 'package.json'))('@cloud-copilot/iam-simulate')

function simulation(c) {
  const s = {
    request: {
      principal: c.principal === '' ? sim.anonymousPrincipal : c.principal,
      action: c.action,
      resource: { resource: c.resource, accountId: c.resourceAccount },
      contextVariables: c.context || {}
    },
    identityPolicies: (c.identity || []).map((policy, i) => ({ name: 'identity' + i, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: []
  }
  if (c.boundary) s.permissionBoundaryPolicies = [{ name: 'boundary', policy: c.boundary }]
  if (c.session) s.sessionPolicy = c.session
  if (c.resourcePolicy) s.resourcePolicy = c.resourcePolicy
  return s
}

async function decide(c) {
  let r
  try {
    r = await sim.runSimulation(simulation(c), {})
  } catch (e) {
    return { id: c.id, result: 'error', error: 'exception: ' + (e && e.message) }
  }
  if (r.resultType === 'error') {
    return { id: c.id, result: 'error', error: JSON.stringify(r.errors) }
  }
  if (r.resultType !== 'single') {
    return { id: c.id, result: 'error', error: 'unexpected result type ' + r.resultType }
  }
  const a = r.result.analysis
  const allows = (a.resourceAnalysis && a.resourceAnalysis.allowStatements) || []
  return {
    id: c.id,
    result: r.overallResult,
    ignored: r.result.ignoredContextKeys || [],
    session: a.sessionAnalysis ? a.sessionAnalysis.result : '',
    resourceDirect: allows.some((s) => s.principalMatch === 'Match')
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.trim() === '') continue
    let c
    try {
      c = JSON.parse(line)
    } catch (e) {
      process.stdout.write(JSON.stringify({ id: -1, result: 'error', error: 'bad input line: ' + e.message }) + '\n')
      continue
    }
    const out = await decide(c)
    if (!process.stdout.write(JSON.stringify(out) + '\n')) {
      await new Promise((resolve) => process.stdout.once('drain', resolve))
    }
  }
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + '\n')
  process.exit(1)
})
