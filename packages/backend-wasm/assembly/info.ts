// Conv / pool geometry as the host writes it into linear memory: 16 consecutive i32 fields in the
// order of core's Conv2dInfo (written by `writeInfo` in src/wasm-backend.ts on the host side).

/** A view of the 16-field geometry block; obtain it with changetype<Info>(pointer). */
@unmanaged
export class Info {
  batch: i32;
  C: i32;
  H: i32;
  W: i32;
  O: i32;
  OH: i32;
  OW: i32;
  kh: i32;
  kw: i32;
  sh: i32;
  sw: i32;
  dh: i32;
  dw: i32;
  pt: i32;
  pl: i32;
  groups: i32;
}
