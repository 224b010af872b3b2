// Tile-shape explorer for the GEMM kernel (how src/kernels/gemm.ts's shape was chosen): raw WGSL matmul
// variants on one Dawn device, timed in turn with tfjs-webgpu's matMul in the same process, by wall time
// and by process CPU time (steadier on a loaded machine). Each variant owns R rows x C columns per
// invocation, WG invocations per workgroup; `strided` spaces an invocation's columns WG apart, VA/VB load
// A/B as vec4, SG shares A values through subgroupBroadcast (SG2: the same with K unrolled by 2), swap puts
// row tiles on workgroup x. Each is checked against a CPU product first.
//   node bench/explore.mjs '[{"R":16,"C":4,"WG":64,"strided":true,"SG":1}]' '[512,1024]'
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
const gpu = create([]);
globalThis.__gpu = gpu;
if (!globalThis.navigator) globalThis.navigator = {};
Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu });
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-webgpu');
await tf.setBackend('webgpu');
await tf.ready();

const adapter = await gpu.requestAdapter();
const device = await adapter.requestDevice({ requiredFeatures: ['subgroups'] });
device.addEventListener('uncapturederror', (e) => console.log('ERR', e.error.message));

function variant({ R, C, WG, strided, VA, VB, SG, SG2, swap }) {
  const L = [];
  L.push(`${SG || SG2 ? 'enable subgroups;' : ''}
@group(0) @binding(0) var<storage, read> A: array<${VA ? 'vec4<f32>' : 'f32'}>;
@group(0) @binding(1) var<storage, read> B: array<${VB ? 'vec4<f32>' : 'f32'}>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<uniform> dims: vec4<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>${SG || SG2 ? ', @builtin(subgroup_invocation_id) sl: u32' : ''}) {
  let M = dims.x; let N = dims.y; let K = dims.z;
  let wx = ${swap ? 'wid.y' : 'wid.x'}; let wy = ${swap ? 'wid.x' : 'wid.y'};
  let row0 = wy * ${R}u;`);
  const CV = VB ? C / 4 : C; // loads per k
  for (let c = 0; c < CV; c++) {
    const col = VB ? (strided ? `(wid.x * ${WG * CV}u + ${c * WG}u + lid.x) * 4u` : `((wid.x * ${WG}u + lid.x) * ${CV}u + ${c}u) * 4u`)
      : strided ? `wx * ${WG * C}u + ${c * WG}u + lid.x` : `(wid.x * ${WG}u + lid.x) * ${C}u + ${c}u`;
    L.push(`  let col${c} = ${col}; let cc${c} = min(col${c}, N - 1u);`);
  }
  const T = VB ? 'vec4<f32>' : 'f32';
  for (let r = 0; r < R; r++) L.push(`  let ar${r} = min(row0 + ${r}u, M - 1u) * K${VA ? ' / 4u' : ''};`);
  for (let r = 0; r < R; r++) for (let c = 0; c < CV; c++) L.push(`  var acc${r}_${c} = ${T}(0.0);`);
  /** One step of the subgroup walk at K index `kExpr`: B loads, one A load per 8 rows, broadcast FMAs. */
  const subgroupStep = (kExpr) => {
    L.push(`    let bk = (${kExpr}) * N;`);
    for (let c = 0; c < CV; c++) L.push(`    let b${c} = B[bk + cc${c}];`);
    for (let h = 0; h < R / 8; h++) L.push(`    let av${h} = A[arow${h} + ${kExpr}];`);
    for (let r = 0; r < R; r++) {
      L.push(`    let a${r} = subgroupBroadcast(av${r >> 3}, ${r & 7}u);`);
      for (let c = 0; c < CV; c++) L.push(`    acc${r}_${c} = fma(a${r}, b${c}, acc${r}_${c});`);
    }
  };
  if (SG) {
    for (let h = 0; h < R / 8; h++) L.push(`  let arow${h} = min(row0 + ${h * 8}u + sl, M - 1u) * K;`);
    L.push('  for (var k = 0u; k < K; k++) {');
    subgroupStep('k');
    L.push('  }');
  } else if (SG2) {
    // K unrolled by 2 (each lane still loads one row's A value per step).
    for (let h = 0; h < R / 8; h++) L.push(`  let arow${h} = min(row0 + ${h * 8}u + sl, M - 1u) * K;`);
    L.push('  var k = 0u;\n  for (; k + 1u < K; k += 2u) {');
    for (let kk = 0; kk < 2; kk++) {
      L.push('    {');
      subgroupStep(`k + ${kk}u`);
      L.push('    }');
    }
    L.push('  }');
    L.push('  for (; k < K; k++) {');
    subgroupStep('k');
    L.push('  }');
  } else if (VA) {
    L.push(`  for (var k = 0u; k < K; k += 4u) {`);
    for (let r = 0; r < R; r++) L.push(`    let a${r} = A[ar${r} + k / 4u];`);
    for (let kk = 0; kk < 4; kk++) {
      L.push(`    { let bk = (k + ${kk}u) * N;`);
      for (let c = 0; c < CV; c++) L.push(`    let b${c} = B[${VB ? `(bk + cc${c}) / 4u` : `bk + cc${c}`}];`);
      for (let r = 0; r < R; r++) for (let c = 0; c < CV; c++) L.push(`    acc${r}_${c} = fma(${T}(a${r}[${kk}]), b${c}, acc${r}_${c});`);
      L.push('    }');
    }
    L.push('  }');
  } else {
    L.push(`  for (var k = 0u; k < K; k++) {
    let bk = k * N;`);
    for (let c = 0; c < CV; c++) L.push(`    let b${c} = B[${VB ? `(bk + cc${c}) / 4u` : `bk + cc${c}`}];`);
    for (let r = 0; r < R; r++) {
      L.push(`    let a${r} = A[ar${r} + k];`);
      for (let c = 0; c < CV; c++) L.push(`    acc${r}_${c} = fma(${T}(a${r}), b${c}, acc${r}_${c});`);
    }
    L.push('  }');
  }
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < CV; c++) {
      if (VB) for (let j = 0; j < 4; j++) L.push(`  if (row0 + ${r}u < M && col${c} + ${j}u < N) { Y[(row0 + ${r}u) * N + col${c} + ${j}u] = acc${r}_${c}[${j}]; }`);
      else L.push(`  if (row0 + ${r}u < M && col${c} < N) { Y[(row0 + ${r}u) * N + col${c}] = acc${r}_${c}; }`);
    }
  }
  L.push('}');
  return { code: L.join('\n'), groups: (M, N) => swap ? [Math.ceil(M / R), Math.ceil(N / (WG * C)), 1] : [Math.ceil(N / (WG * C)), Math.ceil(M / R), 1] };
}

const pipes = new Map();
function pipeline(code) {
  let p = pipes.get(code);
  if (!p) {
    p = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    pipes.set(code, p);
  }
  return p;
}

function buffer(data) {
  const b = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(b, 0, data);
  return b;
}

async function runRaw(v, M, N, K, a, b, y, reps) {
  const p = pipeline(v.code);
  const u = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(u, 0, new Uint32Array([M, N, K, 0]));
  const bg = device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [a, b, y, u].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(p);
  pass.setBindGroup(0, bg);
  const g = v.groups(M, N);
  for (let i = 0; i < reps; i++) pass.dispatchWorkgroups(...g);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

async function check(v, M, N, K) {
  const a = Float32Array.from({ length: M * K }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: K * N }, () => Math.random() - 0.5);
  const y = buffer(new Float32Array(M * N));
  await runRaw(v, M, N, K, buffer(a), buffer(b), y, 1);
  const st = device.createBuffer({ size: M * N * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(y, 0, st, 0, M * N * 4);
  device.queue.submit([enc.finish()]);
  await st.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(st.getMappedRange().slice(0));
  let err = 0;
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
    err = Math.max(err, Math.abs(s - out[i * N + j]));
  }
  return err;
}

// Returns [wall ms, CPU ms] per rep (CPU time of the whole process: lavapipe's threads included).
async function timeIt(fn) {
  await fn(1);
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn(reps);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (ms >= 400 || reps >= 64) return [ms / reps, (c.user + c.system) / 1000 / reps];
    reps *= 2;
  }
}

const specs = JSON.parse(process.argv[2] ?? '[{"R":8,"C":1,"WG":64,"strided":true}]');
const sizes = JSON.parse(process.argv[3] ?? '[512]');
const variants = specs.map((s) => ({ s, v: variant(s) }));
for (const { s, v } of variants) console.log(JSON.stringify(s), 'maxerr 68x44x32', (await check(v, 68, 44, 32)).toExponential(2));
for (const n of sizes) {
  const a = buffer(new Float32Array(n * n).fill(0.5));
  const b = buffer(new Float32Array(n * n).fill(0.25));
  const y = buffer(new Float32Array(n * n));
  const ta = tf.randomNormal([n, n]);
  const tb = tf.randomNormal([n, n]);
  const gf = ([ms, cpu]) => `${(2 * n ** 3 / ms / 1e6).toFixed(2)}/${(2 * n ** 3 / cpu / 1e6).toFixed(2)}`;
  for (let round = 0; round < (+process.env.ROUNDS || 2); round++) {
    const tfMs = await timeIt(async (reps) => {
      let last;
      for (let i = 0; i < reps; i++) { if (last) last.dispose(); last = tf.matMul(ta, tb); }
      await last.data();
      last.dispose();
    });
    const line = [`n=${n} tfjs ${gf(tfMs)}`];
    for (const { s, v } of variants) {
      const ms = await timeIt((reps) => runRaw(v, n, n, n, a, b, y, reps));
      line.push(`${JSON.stringify(s).replace(/["{}]/g,'')} ${gf(ms)} (${(tfMs[0] / ms[0]).toFixed(2)}x/${(tfMs[1] / ms[1]).toFixed(2)}x)`);
    }
    console.log(line.join(' | '));
  }
}
process.exit(0);
