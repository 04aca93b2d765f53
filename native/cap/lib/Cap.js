var EventEmitter = require('events').EventEmitter;

var addon = require('../build/Release/cap.node');

addon.Cap.prototype.__proto__ = EventEmitter.prototype;
addon.Cap.findDevice = addon.findDevice;
addon.Cap.deviceList = addon.deviceList;

module.exports = addon;
