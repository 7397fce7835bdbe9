// The wabt.js bundle (dist/wabt.js), required lazily by wabt.ts.
import wabt from 'wabt';

export = wabt;
